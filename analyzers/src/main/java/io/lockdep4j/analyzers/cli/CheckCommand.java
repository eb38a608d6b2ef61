package io.lockdep4j.analyzers.cli;

import static io.lockdep4j.analyzers.cli.Main.PREFIX;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockdep4j check}: for CI, fails only on findings that are not in the baseline. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"For CI: like analyze, but fails only on findings that are not in the baseline.",
                "Findings are matched by key (rule and lock classes, no line numbers), so code edits keep them matched.",
                "Give every recording of the build (all test JVMs, all jobs): they are analyzed as one lock graph,",
                "so an inversion whose two halves ran in different JVMs is still found.",
                "The report lists the new findings only; stderr says how many were baselined."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no new findings (or --write-baseline)", "1:new findings", "2:bad input or usage (one line on stderr)",
                "3:internal error"},
        footer = {"", "Examples:", "  lockdep4j check target/lockdep4j/*.jfr --write-baseline   # accept today's findings",
                "  lockdep4j check target/lockdep4j/*.jfr --format sarif -o lockdep4j.sarif"})
final class CheckCommand extends ReportCommand {
    static final String DEFAULT_BASELINE = "lockdep4j-baseline.json";

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Known findings (default: " + DEFAULT_BASELINE + " if it exists, else none)")
    Path baseline;

    @Option(names = "--fail-on", paramLabel = "RULE[,RULE...]", split = ",",
            description = "Only new findings of these rules (ids, or error|warning|info severities) fail the check; default: new warnings and errors (info is a note, never a failure unless named here)")
    List<String> failOn = List.of();

    @Option(names = "--write-baseline", description = "Record today's findings as the baseline and exit 0")
    boolean writeBaseline;

    CheckCommand(PrintStream out, PrintStream err, List<Rule> rules) {
        super(out, err, rules);
    }

    @Override
    public Integer call() {
        Path file = baseline != null ? baseline : Path.of(DEFAULT_BASELINE);
        Set<String> ruleIds = new TreeSet<>();
        rules.forEach(r -> ruleIds.add(r.id()));
        for (String f : failOn) {
            if (!ruleIds.contains(f) && !SEVERITIES.contains(f.toLowerCase(Locale.ROOT))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--fail-on: unknown rule '" + f
                        + "' (rules: " + String.join(", ", ruleIds) + "; or a severity: error, warning, info)");
            }
        }
        boolean noBaseline = baseline == null && !Files.exists(file); // a --baseline FILE that is missing is an error
        Baseline known;
        try {
            known = writeBaseline || noBaseline ? Baseline.of(List.of()) : Baseline.read(file);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage(), e);
        }
        AnalysisResult result;
        try {
            result = analyze();
        } catch (BadRecordingException e) {
            return fail(e.getMessage(), e);
        }
        if (writeBaseline) {
            try {
                known.write(file, result.findings());
            } catch (IOException e) {
                return fail("cannot write the baseline " + file + ": " + e, e);
            }
            err.println(PREFIX + "baseline " + file + " written with " + result.findings().size() + " finding"
                    + (result.findings().size() == 1 ? "" : "s"));
            return Main.EXIT_OK;
        }
        List<Finding> fresh = new ArrayList<>();
        int baselined = 0;
        Set<String> seen = new TreeSet<>();
        for (Finding f : result.findings()) {
            seen.add(f.key());
            if (known.contains(f)) {
                baselined++;
            } else {
                fresh.add(f);
            }
        }
        List<Finding> failing = fresh.stream().filter(this::failsOn).toList();
        AnalysisResult newOnly = new AnalysisResult(result.model(), result.options(), fresh, result.rules(), result.warnings());
        if (!report(newOnly)) {
            return Main.EXIT_BAD_INPUT;
        }
        long gone = known.titles().keySet().stream().filter(k -> !seen.contains(k)).count();
        err.println(PREFIX + "check: " + fresh.size() + " new finding" + (fresh.size() == 1 ? "" : "s")
                + (failing.size() == fresh.size() ? "" : " (" + failing.size() + " failing under --fail-on)")
                + ", " + (noBaseline ? "no baseline (" + file + " does not exist, so every finding is new; record today's with"
                + " --write-baseline)" : baselined + " baselined (in " + file + ")")
                + (gone > 0 ? ", " + gone + " baselined finding" + (gone == 1 ? "" : "s")
                + " not seen any more (refresh with --write-baseline)" : ""));
        return failing.isEmpty() ? Main.EXIT_OK : Main.EXIT_FINDINGS;
    }

    private static final Set<String> SEVERITIES = Set.of("error", "warning", "info");

    private boolean failsOn(Finding f) {
        return failOn.isEmpty() ? f.severity() != Severity.INFO : failOn.contains(f.rule()) || failOn.stream().anyMatch(s -> s.equalsIgnoreCase(f.severity().label()));
    }
}
