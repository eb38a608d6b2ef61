package io.lockdep4j.analyzers.rules;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of the rules' options for one analysis. Each option is declared (with its default and
 * doc) by the rule that uses it, see {@link Rule#options()}; this is only the bag of values, so a
 * new numeric option never touches this class or the command line. Besides the numbers it carries
 * one typed option every rule shares: {@link AppFrames}, which frames are the user's code.
 *
 * <pre>{@code
 * RuleOptions o = RuleOptions.defaults().with(LockOrderCycleRule.CYCLE_BUDGET, 1000);
 * }</pre>
 */
public final class RuleOptions {
    /** Defaults of the cycle search, kept for callers written before options moved to their rule. */
    public static final int DEFAULT_MAX_CYCLE_LENGTH = (int) LockOrderCycleRule.MAX_CYCLE_LENGTH.defaultValue();
    public static final int DEFAULT_MAX_CYCLES = (int) LockOrderCycleRule.MAX_CYCLES.defaultValue();
    public static final int DEFAULT_MAX_CYCLES_PER_COMPONENT = (int) LockOrderCycleRule.MAX_CYCLES_PER_COMPONENT.defaultValue();
    public static final long DEFAULT_CYCLE_BUDGET = LockOrderCycleRule.CYCLE_BUDGET.defaultValue();
    public static final long DEFAULT_CYCLE_TIMEOUT_MILLIS = LockOrderCycleRule.CYCLE_TIMEOUT.defaultValue() * 1000;

    private final Map<RuleOption, Long> values;
    private final AppFrames appFrames;

    private RuleOptions(Map<RuleOption, Long> values, AppFrames appFrames) {
        this.values = values;
        this.appFrames = appFrames;
    }

    /** Every option at its default. */
    public static RuleOptions defaults() {
        return new RuleOptions(Map.of(), AppFrames.DEFAULT);
    }

    /** These values with another notion of application code ({@code --include}). */
    public RuleOptions with(AppFrames frames) {
        return new RuleOptions(values, frames);
    }

    /** Which frames are application code, for the frame a title names. */
    public AppFrames appFrames() {
        return appFrames;
    }

    /** These values with {@code option} set to {@code value}; out of range is an {@link IllegalArgumentException}. */
    public RuleOptions with(RuleOption option, long value) {
        Map<RuleOption, Long> copy = new LinkedHashMap<>(values);
        copy.put(option, option.check(value));
        return new RuleOptions(Map.copyOf(copy), appFrames);
    }

    /** The value of {@code option}: the one set, else its default. */
    public long get(RuleOption option) {
        return values.getOrDefault(option, option.defaultValue());
    }

    /** The same options with other cycle-search bounds (the timeout in milliseconds, whole seconds). */
    public RuleOptions withCycleSearch(int perComponent, long budget, long timeoutMillis) {
        return with(LockOrderCycleRule.MAX_CYCLES_PER_COMPONENT, perComponent).with(LockOrderCycleRule.CYCLE_BUDGET, budget)
                .with(LockOrderCycleRule.CYCLE_TIMEOUT, timeoutMillis / 1000);
    }

    /** The options every given rule declares, in rule order; an option shared by two rules is listed once. */
    public static List<RuleOption> declaredBy(Collection<Rule> rules) {
        Map<String, RuleOption> byName = new LinkedHashMap<>();
        for (Rule r : rules) {
            for (RuleOption o : r.options()) {
                RuleOption before = byName.putIfAbsent(o.name(), o);
                if (before != null && !before.equals(o)) {
                    throw new IllegalStateException("two different options are named " + o.name() + " (rule " + r.id() + ")");
                }
            }
        }
        return List.copyOf(byName.values());
    }
}
