package io.lockdep4j.analyzers.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule gets besides the model: the options, and a place to leave its statistics (shown in
 * the report summary, e.g. how many cycles a gate lock ruled out) and notes (one-line caveats such
 * as "the cycle search stopped at 1000 cycles"). One context per rule per analysis.
 */
public final class RuleContext {
    private final RuleOptions options;
    private final Map<String, Object> stats = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public RuleContext(RuleOptions options) {
        this.options = options;
    }

    public RuleOptions options() {
        return options;
    }

    /** Sets a summary statistic (a number, boolean or string). */
    public void stat(String name, Object value) {
        stats.put(name, value);
    }

    /** Adds {@code delta} to a numeric summary statistic. */
    public void count(String name, long delta) {
        stats.merge(name, delta, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
    }

    /** A caveat for the report, one line. */
    public void note(String message) {
        notes.add(message);
    }

    public Map<String, Object> stats() {
        return Collections.unmodifiableMap(stats);
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }
}
