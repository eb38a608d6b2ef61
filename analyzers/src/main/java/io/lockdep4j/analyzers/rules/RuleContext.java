package io.lockdep4j.analyzers.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule gets besides the model: the options, and a place to leave its statistics (shown in
 * the report summary, e.g. how many cycles a gate lock ruled out) and notes (one-line caveats such
 * as "cycles longer than 6 lock classes were not searched") and bounds (a search that stopped
 * early, see {@link #bounded(String)}). One context per rule per analysis.
 */
public final class RuleContext {
    private final RuleOptions options;
    private final Map<String, Object> stats = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> caveats = new ArrayList<>();
    private final List<String> bounds = new ArrayList<>();

    public RuleContext(RuleOptions options) {
        this.options = options;
    }

    public RuleOptions options() {
        return options;
    }

    /** Which frames are the user's code: a title names {@code appFrames().frame(stack)}. */
    public AppFrames appFrames() {
        return options.appFrames();
    }

    /** The value of one of the rule's declared options for this analysis. */
    public long option(RuleOption option) {
        return options.get(option);
    }

    /** Sets a summary statistic (a number, boolean or string). */
    public void stat(String name, Object value) {
        stats.put(name, value);
    }

    /** Adds {@code delta} to a numeric summary statistic. */
    public void count(String name, long delta) {
        stats.merge(name, delta, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
    }

    /** A caveat for the report, one line: something the reader of the findings should know. */
    public void note(String message) {
        notes.add(message);
        caveats.add(message);
    }

    /**
     * A detail for the report, one line, that is not a caveat (a measurement, a per-path summary):
     * in {@link #notes()} like a caveat, but the text report shows it only with {@code --verbose}.
     */
    public void detail(String message) {
        notes.add(message);
    }

    /**
     * The rule's search stopped at a bound before looking at everything, so findings may be
     * missing: one line saying which bound, what was searched, what was left, and how to raise it.
     * Every report format shows it prominently (not only with the notes).
     */
    public void bounded(String message) {
        bounds.add(message);
    }

    /** What {@link #bounded(String)} recorded; empty when the rule looked at everything. */
    public List<String> bounds() {
        return Collections.unmodifiableList(bounds);
    }

    public Map<String, Object> stats() {
        return Collections.unmodifiableMap(stats);
    }

    /** Every note and detail, in the order they were added. */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** Only the notes ({@link #note}), not the details. */
    public List<String> caveats() {
        return Collections.unmodifiableList(caveats);
    }
}
