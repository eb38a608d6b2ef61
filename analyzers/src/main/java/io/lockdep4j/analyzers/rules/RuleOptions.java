package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.graph.LockOrderGraph.CycleLimits;

/**
 * Knobs shared by all rules.
 *
 * @param maxCycleLength longest lock-order cycle searched, in lock classes
 * @param maxCycles stop the cycle search after this many cycles
 * @param slowCloseMillis a close (or fsync) that blocked at least this long counts as blocking work
 *     for blocking-release and blocking-under-lock, even when it did not force
 * @param maxCyclesPerComponent stop searching one strongly connected component after this many cycles
 * @param cycleBudget stop the cycle search after looking at this many edges
 * @param cycleTimeoutMillis stop the cycle search after this much wall-clock time
 */
public record RuleOptions(int maxCycleLength, int maxCycles, long slowCloseMillis, int maxCyclesPerComponent,
                          long cycleBudget, long cycleTimeoutMillis) {
    public static final long DEFAULT_SLOW_CLOSE_MILLIS = 10;
    public static final int DEFAULT_MAX_CYCLE_LENGTH = CycleLimits.DEFAULT_MAX_LENGTH;
    public static final int DEFAULT_MAX_CYCLES = CycleLimits.DEFAULT_MAX_CYCLES;
    public static final int DEFAULT_MAX_CYCLES_PER_COMPONENT = CycleLimits.DEFAULT_MAX_CYCLES_PER_COMPONENT;
    public static final long DEFAULT_CYCLE_BUDGET = CycleLimits.DEFAULT_BUDGET_STEPS;
    public static final long DEFAULT_CYCLE_TIMEOUT_MILLIS = CycleLimits.DEFAULT_TIMEOUT_MILLIS;

    public RuleOptions(int maxCycleLength, int maxCycles, long slowCloseMillis) {
        this(maxCycleLength, maxCycles, slowCloseMillis, DEFAULT_MAX_CYCLES_PER_COMPONENT, DEFAULT_CYCLE_BUDGET,
                DEFAULT_CYCLE_TIMEOUT_MILLIS);
    }

    public RuleOptions(int maxCycleLength, int maxCycles) {
        this(maxCycleLength, maxCycles, DEFAULT_SLOW_CLOSE_MILLIS);
    }

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
        if (maxCyclesPerComponent < 1) {
            throw new IllegalArgumentException("max cycles per component must be at least 1, was " + maxCyclesPerComponent);
        }
        if (cycleBudget < 1) {
            throw new IllegalArgumentException("cycle budget must be at least 1, was " + cycleBudget);
        }
        if (cycleTimeoutMillis < 1) {
            throw new IllegalArgumentException("cycle timeout must be positive, was " + cycleTimeoutMillis + " ms");
        }
    }

    public static RuleOptions defaults() {
        return new RuleOptions(DEFAULT_MAX_CYCLE_LENGTH, DEFAULT_MAX_CYCLES);
    }

    /** The same options with other cycle-search bounds. */
    public RuleOptions withCycleSearch(int perComponent, long budget, long timeoutMillis) {
        return new RuleOptions(maxCycleLength, maxCycles, slowCloseMillis, perComponent, budget, timeoutMillis);
    }

    /** The cycle-search limits these options describe. */
    public CycleLimits cycleLimits() {
        return new CycleLimits(maxCycleLength, maxCycles, maxCyclesPerComponent, cycleBudget, cycleTimeoutMillis);
    }
}
