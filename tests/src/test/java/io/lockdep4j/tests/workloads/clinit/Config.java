package io.lockdep4j.tests.workloads.clinit;

/** Its static initializer takes Registry.LOCK: the class's initialization lock, then LOCK. */
public final class Config {
    static final int VALUE;

    static {
        synchronized (Registry.LOCK) {
            VALUE = 42;
        }
    }

    private Config() {}

    public static int value() {
        return VALUE;
    }
}
