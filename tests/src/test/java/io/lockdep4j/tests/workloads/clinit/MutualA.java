package io.lockdep4j.tests.workloads.clinit;

/** Its static initializer touches MutualB, whose static initializer touches MutualA. */
public final class MutualA {
    static final int V;

    static {
        V = MutualB.V + 1;
    }

    private MutualA() {}
}
