package io.lockdep4j.tests.workloads.clinit;

/** The two code paths that first touch Config; each JVM (or loader) runs one of them first. */
public final class Paths {
    private Paths() {}

    /** Holds Registry.LOCK, then touches Config: Registry.LOCK, then Config's initialization. */
    public static int lockThenTouch() {
        synchronized (Registry.LOCK) {
            return Config.value();
        }
    }

    /** Touches Config first: its initialization, then (inside it) Registry.LOCK. */
    public static int touchFirst() {
        return Config.value();
    }

    public static int touchA() {
        return MutualA.V;
    }

    public static int touchB() {
        return MutualB.V;
    }
}
