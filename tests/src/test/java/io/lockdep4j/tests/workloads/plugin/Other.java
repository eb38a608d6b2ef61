package io.lockdep4j.tests.workloads.plugin;

/** A second plugin class, loaded by another thread. */
public final class Other {
    public static String name() {
        return "other";
    }
}
