package io.lockdep4j.analyzers.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One problem a rule found.
 *
 * @param rule the id of the rule that found it
 * @param severity how bad it is
 * @param title one line, shown first
 * @param locks the lock classes involved, in the order that explains the problem
 * @param key a stable identity: the rule id and the sorted lock classes, {@code rule:lockA+lockB}.
 *     It holds no line numbers or thread names, so the same hazard keeps its key from run to run
 *     and across code edits (usable for baselines and suppressions)
 * @param explanation the human-readable body of the text report, lines separated by {@code \n}
 * @param details structured, JSON-ready data (strings, numbers, booleans, lists and maps only);
 *     its keys become fields of the finding in the JSON report
 */
public record Finding(String rule, Severity severity, String title, List<String> locks, String key,
                      String explanation, Map<String, Object> details) {

    public Finding {
        locks = List.copyOf(locks);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A finding with the standard identity key. */
    public static Finding of(String rule, Severity severity, String title, List<String> locks, String explanation,
                             Map<String, Object> details) {
        return new Finding(rule, severity, title, locks, keyOf(rule, locks), explanation, details);
    }

    /** {@code rule:lockA+lockB}, lock classes sorted and deduplicated. */
    public static String keyOf(String rule, List<String> locks) {
        return rule + ":" + String.join("+", new TreeSet<>(locks));
    }
}
