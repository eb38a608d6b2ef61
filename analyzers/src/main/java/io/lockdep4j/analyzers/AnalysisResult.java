package io.lockdep4j.analyzers;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.RuleContext;
import io.lockdep4j.analyzers.rules.RuleOptions;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an analysis: the model, the findings of every rule (most severe first, then by
 * rule and key), per-rule statistics and notes, and warnings about the input (incomplete
 * recordings, recordings without lockdep4j events, agent errors).
 */
public record AnalysisResult(LockModel model, RuleOptions options, List<Finding> findings,
                             Map<String, RuleContext> rules, List<String> warnings) {
    public AnalysisResult {
        findings = List.copyOf(findings);
        rules = Map.copyOf(rules);
        warnings = List.copyOf(warnings);
    }

    public long count(io.lockdep4j.analyzers.rules.Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}
