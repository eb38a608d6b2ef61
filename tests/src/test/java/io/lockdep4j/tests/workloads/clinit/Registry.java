package io.lockdep4j.tests.workloads.clinit;

/** A registry whose lock the configuration's static initializer takes. */
public final class Registry {
    public static final Object LOCK = new Object();

    private Registry() {}
}
