package io.lockdep4j.analyzers.rules;

/**
 * Knobs shared by all rules.
 *
 * @param maxCycleLength longest lock-order cycle searched, in lock classes
 * @param maxCycles stop the cycle search after this many cycles
 * @param slowCloseMillis a close (or fsync) that blocked at least this long counts as blocking work
 *     for blocking-release and blocking-under-lock, even when it did not force
 */
public record RuleOptions(int maxCycleLength, int maxCycles, long slowCloseMillis) {
    public static final long DEFAULT_SLOW_CLOSE_MILLIS = 10;

    public RuleOptions(int maxCycleLength, int maxCycles) {
        this(maxCycleLength, maxCycles, DEFAULT_SLOW_CLOSE_MILLIS);
    }

    public static final int DEFAULT_MAX_CYCLE_LENGTH = 6;
    public static final int DEFAULT_MAX_CYCLES = 1000;

    public RuleOptions {
        if (maxCycleLength < 2) {
            throw new IllegalArgumentException("max cycle length must be at least 2, was " + maxCycleLength);
        }
        if (maxCycles < 1) {
            throw new IllegalArgumentException("max cycles must be at least 1, was " + maxCycles);
        }
        if (slowCloseMillis < 0) {
            throw new IllegalArgumentException("slow close threshold must not be negative, was " + slowCloseMillis);
        }
    }

    public static RuleOptions defaults() {
        return new RuleOptions(DEFAULT_MAX_CYCLE_LENGTH, DEFAULT_MAX_CYCLES);
    }
}
