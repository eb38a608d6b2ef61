package io.lockdep4j.analyzers.cli;

import static io.lockdep4j.analyzers.cli.Main.PREFIX;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.report.TextReport;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code lockdep4j analyze}: the report of every finding. */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"Reports hazards (lock-order cycles...) found in lockdep4j JFR recordings.",
                "Several recordings (for example of several JVMs) are analyzed as one lock graph."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no findings, or only info notes", "1:warnings or errors reported", "2:bad input or usage (one line on stderr)",
                "3:internal error"},
        footer = {"", "Examples:", "  lockdep4j analyze app.jfr                         # text report on stdout",
                "  lockdep4j analyze jvm1.jfr jvm2.jfr --format html -o report.html",
                "  lockdep4j analyze app.jfr --verbose               # with the rules' statistics"})
final class AnalyzeCommand extends ReportCommand {
    AnalyzeCommand(PrintStream out, PrintStream err, List<Rule> rules) {
        super(out, err, rules);
    }

    @Override
    public Integer call() {
        AnalysisResult result;
        try {
            result = analyze();
        } catch (BadRecordingException e) {
            return fail(e.getMessage(), e);
        }
        if (!report(result)) {
            return Main.EXIT_BAD_INPUT;
        }
        if (output != null && !quiet) {
            err.println(PREFIX + TextReport.summary(result) + " (report: " + output + ")");
        }
        // an info finding is worth knowing, not a bug by itself (Severity.INFO): it never fails a build
        return result.findings().stream().allMatch(f -> f.severity() == Severity.INFO) ? Main.EXIT_OK : Main.EXIT_FINDINGS;
    }
}
