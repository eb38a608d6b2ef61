package io.lockdep4j.analyzers.rules;

/**
 * Knobs shared by all rules.
 *
 * @param maxCycleLength longest lock-order cycle searched, in lock classes
 * @param maxCycles stop the cycle search after this many cycles
 */
public record RuleOptions(int maxCycleLength, int maxCycles) {
    public static final int DEFAULT_MAX_CYCLE_LENGTH = 6;
    public static final int DEFAULT_MAX_CYCLES = 1000;

    public RuleOptions {
        if (maxCycleLength < 2) {
            throw new IllegalArgumentException("max cycle length must be at least 2, was " + maxCycleLength);
        }
        if (maxCycles < 1) {
            throw new IllegalArgumentException("max cycles must be at least 1, was " + maxCycles);
        }
    }

    public static RuleOptions defaults() {
        return new RuleOptions(DEFAULT_MAX_CYCLE_LENGTH, DEFAULT_MAX_CYCLES);
    }
}
