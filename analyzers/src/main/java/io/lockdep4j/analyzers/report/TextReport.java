package io.lockdep4j.analyzers.report;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.RecordingSummary;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.RuleContext;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human report, modelled on Linux lockdep's splats: a header naming the recordings, warnings
 * about the input, then the findings grouped by rule (the rule with the most severe finding first,
 * most severe findings first within it), each with its rule-written explanation, the rules' notes
 * (caveats), a {@code BOUNDED} line for each search that stopped at a limit, and one summary
 * line at the end (which also says when a search was bounded). Verbose (the CLI's {@code --verbose})
 * adds the rules' details and statistics before the summary.
 *
 * <pre>{@code
 * new TextReport().write(Analyzer.withDefaults().analyze(List.of(Path.of("app.jfr"))), System.out);
 * }</pre>
 */
public final class TextReport implements ReportWriter {
    private static final String RULE_LINE = "=".repeat(72);
    private static final String FINDING_LINE = "-".repeat(72);

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String description() {
        return "lockdep-style";
    }

    @Override
    public boolean printsBoundsAsLines() {
        return true;
    }

    @Override
    public void write(AnalysisResult result, ReportOptions options, OutputStream out) throws IOException {
        PrintStream ps = ReportWriter.printStream(out);
        write(result, ps, options.verbose());
        ReportWriter.finish(ps);
    }

    /** The report without the rules' statistics and details. */
    public void write(AnalysisResult result, PrintStream out) {
        write(result, out, false);
    }

    /** With {@code verbose}, also each rule's details and statistics ({@code rule ID: name=value ...} lines). */
    public void write(AnalysisResult result, PrintStream out, boolean verbose) {
        LockModel m = result.model();
        out.printf(Locale.ROOT, "lockdep4j %s: %d recording%s, %,d events (%,d lockdep4j), %d lock classes, %d edges, %d chains%n",
                Version.get(), m.recordings().size(), m.recordings().size() == 1 ? "" : "s", m.totalEvents(),
                m.totalLockdepEvents(), m.lockClasses().size(), m.edgeCount(), m.chainCount());
        for (RecordingSummary r : m.recordings()) {
            out.printf(Locale.ROOT, "  [%d] %s: %,d lockdep4j events%s%s%n", r.index() + 1, r.path(), r.lockdepEvents(),
                    r.agentVersion() == null ? "" : ", agent " + r.agentVersion(),
                    r.incomplete() ? ", INCOMPLETE" : r.summaryOnlyEdges() > 0
                            ? String.format(Locale.ROOT, ", %,d edges from the agent's summary (no stacks)", r.summaryOnlyEdges()) : "");
        }
        for (String w : result.warnings()) {
            out.println("WARNING: " + w);
        }

        Map<String, List<Finding>> byRule = new LinkedHashMap<>();
        for (Finding f : result.findings()) { // already sorted by severity, rule, key
            byRule.computeIfAbsent(f.rule(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<Finding>> group : byRule.entrySet()) {
            List<Finding> fs = group.getValue();
            fs.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::key));
            out.println();
            out.println(RULE_LINE);
            out.println(group.getKey() + ": " + counts(fs));
            out.println(RULE_LINE);
            boolean first = true;
            for (Finding f : fs) {
                if (!first) {
                    out.println(FINDING_LINE);
                }
                first = false;
                out.println();
                out.println("[" + f.severity().name() + "] " + f.title());
                out.println("key: " + f.key());
                out.println();
                out.print(f.explanation().endsWith("\n") ? f.explanation() : f.explanation() + "\n");
            }
        }

        out.println();
        for (Map.Entry<String, RuleContext> e : result.rules().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            for (String note : verbose ? e.getValue().notes() : e.getValue().caveats()) {
                out.println("note (" + e.getKey() + "): " + note);
            }
            for (String bound : e.getValue().bounds()) {
                out.println("BOUNDED (" + e.getKey() + "): " + bound);
            }
            String stats = e.getValue().stats().entrySet().stream().map(s -> s.getKey() + "=" + s.getValue())
                    .collect(Collectors.joining(" "));
            if (verbose && !stats.isEmpty()) {
                out.println("rule " + e.getKey() + ": " + stats);
            }
        }
        out.println(summary(result));
    }

    /** The last line: counts, and whether the input was incomplete. */
    public static String summary(AnalysisResult result) {
        int n = result.findings().size();
        StringBuilder sb = new StringBuilder("Summary: ");
        sb.append(n == 0 ? "no findings" : n + " finding" + (n == 1 ? "" : "s") + " (" + counts(result.findings()) + ")");
        int r = result.model().recordings().size();
        sb.append(" in ").append(r).append(" recording").append(r == 1 ? "" : "s");
        if (result.model().incomplete()) {
            sb.append("; INCOMPLETE: the agent or JFR lost data (see the warnings), findings may be missing");
        }
        List<String> bounded = boundedRules(result);
        if (!bounded.isEmpty()) {
            sb.append("; BOUNDED: the ").append(String.join(", ", bounded))
                    .append(" search stopped at a limit, findings may be missing");
        }
        return sb.toString();
    }

    /** Ids of the rules whose search stopped at a bound, sorted. */
    static List<String> boundedRules(AnalysisResult result) {
        return result.rules().entrySet().stream().filter(e -> !e.getValue().bounds().isEmpty()).map(Map.Entry::getKey)
                .sorted().toList();
    }

    private static String counts(List<Finding> fs) {
        List<String> parts = new ArrayList<>();
        for (Severity s : Severity.values()) {
            long c = fs.stream().filter(f -> f.severity() == s).count();
            if (c > 0) {
                parts.add(c + " " + s.label() + (c == 1 || s == Severity.INFO ? "" : "s"));
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
