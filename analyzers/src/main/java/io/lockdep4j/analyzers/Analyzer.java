package io.lockdep4j.analyzers;

import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ModelBuilder;
import io.lockdep4j.analyzers.model.RecordingSummary;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.read.RecordingReader;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.RuleContext;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Rules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs an analysis: reads the recordings into one {@link LockModel}, then applies every rule.
 * This is all the CLI does before writing a report.
 *
 * <pre>{@code
 * AnalysisResult r = new Analyzer(Rules.load(), RuleOptions.defaults(), null)
 *         .analyze(List.of(Path.of("jvm1.jfr"), Path.of("jvm2.jfr")));
 * new TextReport().write(r, System.out);
 * }</pre>
 */
public final class Analyzer {
    private final List<Rule> rules;
    private final RuleOptions options;
    private final Consumer<String> progress;

    /** @param progress receives progress lines for long inputs; may be {@code null} */
    public Analyzer(List<Rule> rules, RuleOptions options, Consumer<String> progress) {
        this.rules = List.copyOf(rules);
        this.options = options;
        this.progress = progress;
    }

    public AnalysisResult analyze(List<Path> recordings) throws BadRecordingException {
        ModelBuilder builder = new ModelBuilder();
        new RecordingReader(progress).read(recordings, builder);
        return analyze(builder.build());
    }

    /** Applies the rules to an already built model. */
    public AnalysisResult analyze(LockModel model) {
        List<Finding> findings = new ArrayList<>();
        Map<String, RuleContext> contexts = new LinkedHashMap<>();
        for (Rule rule : rules) {
            RuleContext ctx = new RuleContext(options);
            findings.addAll(rule.check(model, ctx));
            contexts.put(rule.id(), ctx);
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::rule).thenComparing(Finding::key));
        return new AnalysisResult(model, options, findings, contexts, warnings(model));
    }

    private static List<String> warnings(LockModel model) {
        List<String> w = new ArrayList<>();
        for (RecordingSummary r : model.recordings()) {
            if (r.noLockdepEvents()) {
                w.add(r.path() + ": no lockdep4j events: was the agent attached and the lockdep4j.jfc settings used?");
                continue;
            }
            for (String line : r.readWarnings()) {
                w.add(line);
            }
            if (!r.agentLossReasons().isEmpty()) {
                w.add(r.path() + ": INCOMPLETE: the agent dropped data (" + String.join(", ", r.agentLossReasons())
                        + "); some lock orders were not recorded, so findings may be missing");
            }
            if (r.lockGraphRestoredFromSummary()) {
                w.add(String.format(java.util.Locale.ROOT, "%s: JFR lost %,d bytes of events (%d jdk.DataLoss events: its buffers were"
                        + " full); the lock-order graph is complete from the agent's summary (%,d edges, %,d of them known only from it,"
                        + " without stacks: findings resting on them say so); other lost events (file closes, releases, waits) cannot"
                        + " be restored, so release-path findings may be missing; record with larger"
                        + " -XX:FlightRecorderOptions:globalbuffersize=,memorysize=", r.path(), r.jfrDataLossBytes(), r.jfrDataLossEvents(),
                        r.summaryEdges(), r.summaryOnlyEdges()));
            } else if (r.jfrDataLossEvents() > 0) {
                w.add(String.format(java.util.Locale.ROOT, "%s: INCOMPLETE: JFR lost %,d bytes of events (%d jdk.DataLoss events: its"
                        + " buffers were full); some lock orders may be missing, so findings may be missing too; record with larger"
                        + " -XX:FlightRecorderOptions:globalbuffersize=,memorysize=", r.path(), r.jfrDataLossBytes(), r.jfrDataLossEvents()));
            }
            if (r.jfrDataLossEvents() == 0 && r.summaryOnlyEdges() > 0) {
                w.add(String.format(java.util.Locale.ROOT, "%s: %,d lock-order edges are known only from the agent's summary: their events"
                        + " are missing without a jdk.DataLoss (JFR's in-memory ring overwrote them, or the recording was cut);"
                        + " findings resting on them say so, and other old events may be missing too", r.path(), r.summaryOnlyEdges()));
            }
            if (r.eventsWithoutLockClass() > 0) {
                w.add(r.path() + ": " + r.eventsWithoutLockClass() + " lock events had no lock class and were skipped"
                        + " (JDK 17 loses repeated strings when one JVM makes several recordings: record once per JVM run)");
            }
            if (r.agentErrorCount() > 0) {
                w.add(r.path() + ": the agent reported " + r.agentErrorCount() + " internal error(s), e.g. " + r.agentErrors().get(0));
            }
        }
        long capped = model.edges().stream().mapToLong(LockEdge::droppedObservations).sum();
        if (capped > 0) {
            w.add(capped + " repeated edge observations beyond " + LockEdge.MAX_OBSERVATIONS + " per edge were not kept");
        }
        return w;
    }

    /** The rules listed in META-INF/services, default options, no progress. */
    public static Analyzer withDefaults() {
        return new Analyzer(Rules.load(), RuleOptions.defaults(), null);
    }
}
