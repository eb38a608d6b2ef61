package io.lockdep4j.jmc;

import io.lockdep4j.analyzers.rules.Finding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.AbstractRule;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;

/**
 * A JMC rule that shows the findings of some lockdep4j analyzer rules, chosen by rule id. The
 * analysis itself is {@link LockdepAnalysis}, shared by all of them. Subclasses only name the
 * hazard and the analyzer rule ids it covers, so a new analyzer rule appears in JMC as soon as its
 * id is listed (or, unlisted, under {@link OtherFindingsJmcRule}).
 *
 * <p>Scores: an error finding scores 100, a warning 80, an info 50 (JMC's warning level starts at
 * 75, info at 25); no finding scores 0 (OK). A score is always set: JMC's JSON report breaks
 * without one.
 */
abstract class LockdepJmcRule extends AbstractRule {
    static final String TOPIC = "lockdep4j";

    private final Predicate<String> covers;
    private final List<String> ruleIds;

    /** @param ruleIds the analyzer rule ids this JMC rule shows */
    LockdepJmcRule(String id, String name, List<String> ruleIds) {
        this(id, name, ruleIds, ruleIds::contains);
    }

    LockdepJmcRule(String id, String name, List<String> ruleIds, Predicate<String> covers) {
        super(id, name, TOPIC, List.<TypedPreference<?>>of(), List.<TypedResult<?>>of(TypedResult.SCORE), Map.of());
        this.ruleIds = List.copyOf(ruleIds);
        this.covers = covers;
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider prefs, IResultValueProvider deps) {
        LockdepAnalysis analysis = LockdepAnalysis.of(items);
        if (analysis.result() == null) {
            return result(prefs, Severity.NA, 0, getName() + ": " + analysis.problem(), analysis.problem());
        }
        Set<String> present = new TreeSet<>();
        analysis.ruleIds().stream().filter(covers).forEach(present::add);
        if (present.isEmpty()) {
            return result(prefs, Severity.OK, 0, getName() + ": rule not available in this version of lockdep4j ("
                    + String.join(", ", ruleIds) + ")", "This lockdep4j build has no analyzer rule with id "
                    + String.join(" or ", ruleIds) + ", so nothing was checked.");
        }
        List<Finding> findings = new ArrayList<>();
        for (Finding f : analysis.result().findings()) {
            if (covers.test(f.rule())) {
                findings.add(f);
            }
        }
        String checked = "Checked by lockdep4j rule(s) " + String.join(", ", present) + ".";
        String warnings = analysis.result().warnings().isEmpty() ? ""
                : "\n\nCaveats: " + String.join("; ", analysis.result().warnings());
        if (findings.isEmpty()) {
            return result(prefs, Severity.OK, 0, getName() + ": no findings.", checked + warnings);
        }
        double score = findings.stream().mapToDouble(LockdepJmcRule::score).max().orElse(0);
        StringBuilder explanation = new StringBuilder();
        for (Finding f : findings) {
            explanation.append('[').append(f.severity().label().toUpperCase(Locale.ROOT)).append("] ").append(f.title())
                    .append("\nkey: ").append(f.key()).append('\n').append(f.explanation()).append("\n\n");
        }
        explanation.append(checked).append(warnings);
        String summary = findings.size() == 1 ? findings.get(0).title()
                : findings.size() + " findings, e.g. " + findings.get(0).title();
        return result(prefs, Severity.get(score), score, summary, explanation.toString());
    }

    /** An analyzer severity as a JMC score. */
    static double score(Finding f) {
        return switch (f.severity()) {
            case ERROR -> 100;
            case WARNING -> 80;
            case INFO -> 50;
        };
    }

    private IResult result(IPreferenceValueProvider prefs, Severity severity, double score, String summary, String explanation) {
        return ResultBuilder.createFor(this, prefs).setSeverity(severity).setSummary(summary).setExplanation(explanation)
                .setSolution(severity == Severity.OK || severity == Severity.NA ? null
                        : "Run 'lockdep4j analyze' on the recording for the full report with both stacks of every edge.")
                .addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(score)).build();
    }

    /** Ids claimed by the hazard rules; {@link OtherFindingsJmcRule} shows every other rule. */
    static final Collection<String> CLAIMED = List.of("lock-order-cycle", "fsync-in-notifier", "blocking-release",
            "wait-while-holding", "resource-leak", "refcount-underflow", "use-after-release");
}
