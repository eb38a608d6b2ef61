package io.lockdep4j.jmc;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.read.NoLockdepEventsException;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Rules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import org.openjdk.jmc.common.item.IItemCollection;

/**
 * The lockdep4j analysis of one JMC item collection, computed once and shared by all lockdep4j
 * JMC rules (JMC evaluates rules in parallel, each asking for the same collection).
 *
 * <p>It runs the very {@link Analyzer} and {@link Rules} the CLI runs, over a {@code .jfr} file
 * rebuilt from JMC's items by {@link RecordingRebuilder}: one implementation of every rule, two
 * front ends.
 *
 * @param result the analysis, or {@code null} when {@code problem} says why there is none
 * @param ruleIds ids of the analyzer rules present in this jar
 * @param problem a one-line reason when there is no result (no lockdep4j events, unreadable data)
 * @param failed whether {@code problem} is a failure of lockdep4j (an exception), not a fact about
 *     the recording
 */
record LockdepAnalysis(AnalysisResult result, Set<String> ruleIds, String problem, boolean failed) {
    private static final Map<IItemCollection, LockdepAnalysis> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    static LockdepAnalysis of(IItemCollection items) {
        // computeIfAbsent on a synchronized map holds its lock while computing: the other rules wait
        // for the first one instead of repeating the analysis.
        return CACHE.computeIfAbsent(items, LockdepAnalysis::analyze);
    }

    /** The analysis a rule already computed for these items, or {@code null} when no lockdep4j rule ran. */
    static LockdepAnalysis cached(IItemCollection items) {
        return CACHE.get(items);
    }

    /** Why the analysis failed, or {@code null} when it ran (or the recording simply has no events). */
    String failure() {
        return failed ? problem : null;
    }

    private static LockdepAnalysis analyze(IItemCollection items) {
        List<Rule> rules = Rules.load();
        Set<String> ids = new TreeSet<>();
        rules.forEach(r -> ids.add(r.id()));
        Path tmp = null;
        try {
            tmp = Files.createTempFile("lockdep4j-jmc-", ".jfr");
            if (RecordingRebuilder.write(items, tmp) == 0) {
                return new LockdepAnalysis(null, ids, "the recording has no lockdep4j events:"
                        + " was the agent attached and the lockdep4j.jfc settings used?", false);
            }
            AnalysisResult r = new Analyzer(rules, RuleOptions.defaults(), null).analyze(List.of(tmp));
            return new LockdepAnalysis(r, ids, null, false);
        } catch (NoLockdepEventsException e) {
            return new LockdepAnalysis(null, ids, "the recording has no lockdep4j events", false);
        } catch (BadRecordingException | IOException | RuntimeException e) {
            if (Boolean.getBoolean("lockdep4j.debug")) {
                e.printStackTrace();
            }
            return new LockdepAnalysis(null, ids, "lockdep4j could not analyze this recording: " + e, true);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
