package io.lockdep4j.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only fault injection: {@code -Dlockdep4j.test.failEveryNth=N} (N &gt; 0) makes every Nth
 * lock acquisition the hooks record throw inside their guarded region, so that tests can show an
 * advice failure is contained (counted, reported once, the host runs on). Off unless the property
 * is set when the hooks first run.
 */
public final class FaultInjection {
    private FaultInjection() {}

    /**
     * Read once into a static final: once this class is initialized the JIT treats the value as a
     * constant, so with the property unset {@code EVERY_NTH > 0} folds to false and the check in
     * the hook's compiled code disappears; the hot path pays nothing in production.
     */
    public static final int EVERY_NTH = Integer.getInteger("lockdep4j.test.failEveryNth", 0);

    private static final AtomicLong CALLS = new AtomicLong();

    /** Throws on every {@link #EVERY_NTH}th call; call it only when EVERY_NTH &gt; 0. */
    public static void maybeFail() {
        if (CALLS.incrementAndGet() % EVERY_NTH == 0) {
            throw new IllegalStateException("injected by lockdep4j.test.failEveryNth=" + EVERY_NTH);
        }
    }
}
