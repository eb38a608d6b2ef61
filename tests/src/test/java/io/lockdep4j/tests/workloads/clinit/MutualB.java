package io.lockdep4j.tests.workloads.clinit;

/** See MutualA. */
public final class MutualB {
    static final int V;

    static {
        V = MutualA.V + 1;
    }

    private MutualB() {}
}
