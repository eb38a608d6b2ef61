package io.lockdep4j.analyzers.cli;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.report.DotReport;
import io.lockdep4j.analyzers.report.HtmlReport;
import io.lockdep4j.analyzers.report.JsonReport;
import io.lockdep4j.analyzers.report.SarifReport;
import io.lockdep4j.analyzers.report.TextReport;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Rules;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The analyzers' command line.
 *
 * <pre>
 * lockdep4j analyze app.jfr [more.jfr...] [--format text|json|html|dot|sarif] [-o FILE]
 *                   [--max-cycle-length N] [--max-cycles N] [--max-cycles-per-component N]
 *                   [--cycle-budget STEPS] [--cycle-timeout SECONDS] [--quiet] [--debug]
 * lockdep4j check   app.jfr [more.jfr...] [--baseline FILE] [--fail-on RULES] [--write-baseline]
 *                   (and the options of analyze)
 * </pre>
 *
 * Exit codes (also in {@code --help}):
 * <ul>
 *   <li>0: no findings
 *   <li>1: findings (of any severity); for {@code check}: findings not in the baseline
 *   <li>2: bad input or usage: a missing, empty, truncated, corrupt or non-JFR file, recordings
 *       without any lockdep4j event, an unknown command or option. One line on stderr, starting
 *       with {@code lockdep4j: }; {@code --debug} adds the stack trace.
 *   <li>3: internal error (a bug in the analyzers; please report it with {@code --debug} output)
 * </ul>
 * The {@code run}, {@code demo} and {@code attach} commands belong to the lockdep4j shell
 * launcher, which calls this program for {@code analyze}.
 *
 * <p>Tests call {@link #run(String[], PrintStream, PrintStream)}, which returns the exit code
 * instead of exiting.
 */
@Command(name = "lockdep4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "lockdep for the JVM: analyzes JFR recordings made with the lockdep4j agent.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "The launcher also provides: run, demo, attach."})
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 3;
    static final String PREFIX = "lockdep4j: ";

    private final PrintStream err;

    private Main(PrintStream err) {
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. Never throws, never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Analyze analyze = new Analyze(out, err);
        Check check = new Check(out, err);
        CommandLine cl = new CommandLine(new Main(err));
        cl.addSubcommand("analyze", analyze);
        cl.addSubcommand("check", check);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            String msg;
            if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine() == cl
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                msg = "unknown command '" + u.getUnmatched().get(0) + "' (try: lockdep4j analyze RECORDING.jfr...)";
            } else {
                msg = ex.getMessage() + " (see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)";
            }
            err.println(PREFIX + oneLine(msg));
            if (analyze.debug || check.debug) {
                ex.printStackTrace(err);
            }
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            err.println(PREFIX + "internal error: " + oneLine(String.valueOf(ex)) + (analyze.debug || check.debug ? "" : " (rerun with --debug for details)"));
            if (analyze.debug || check.debug) {
                ex.printStackTrace(err);
            }
            return EXIT_INTERNAL;
        });
        try {
            return cl.execute(args);
        } catch (Throwable t) { // an Error escaping picocli: still one line, still an exit code
            err.println(PREFIX + "internal error: " + oneLine(String.valueOf(t)));
            return EXIT_INTERNAL;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code lockdep4j} without a command. */
    @Override
    public Integer call() {
        err.println(PREFIX + "missing command (try: lockdep4j analyze RECORDING.jfr..., or lockdep4j --help)");
        return EXIT_BAD_INPUT;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    enum Format { text, json, html, dot, sarif }

    /** Options and report writing shared by {@code analyze} and {@code check}. */
    abstract static class ReportCommand implements Callable<Integer> {
        final PrintStream out;
        final PrintStream err;

        @Parameters(arity = "1..*", paramLabel = "RECORDING.jfr", description = "JFR recordings made with the lockdep4j agent")
        List<Path> recordings;

        @Option(names = "--format", paramLabel = "text|json|html|dot|sarif", defaultValue = "text",
                description = {"Report format (default: ${DEFAULT-VALUE}): text (lockdep-style), json (schemaVersion 1),",
                        "html (one self-contained page with the lock-order graph), dot (Graphviz, the graph only),",
                        "sarif (SARIF 2.1.0 for code scanning)"})
        Format format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout")
        Path output;

        @Option(names = "--source-roots", paramLabel = "DIR[,DIR...]", split = ",",
                description = "SARIF: directories holding the sources (e.g. src/main/java,src/test/java); a location found "
                        + "under one is written relative to the current directory, as code scanning expects")
        List<Path> sourceRoots = List.of();

        @Option(names = "--max-cycle-length", paramLabel = "N", defaultValue = "" + RuleOptions.DEFAULT_MAX_CYCLE_LENGTH,
                description = "Longest lock-order cycle searched, in lock classes (default: ${DEFAULT-VALUE})")
        int maxCycleLength;

        @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "" + RuleOptions.DEFAULT_MAX_CYCLES,
                description = "Stop the cycle search after N cycles (default: ${DEFAULT-VALUE})")
        int maxCycles;

        @Option(names = "--max-cycles-per-component", paramLabel = "N", defaultValue = "" + RuleOptions.DEFAULT_MAX_CYCLES_PER_COMPONENT,
                description = "Stop searching one strongly connected group of lock classes after N cycles, so that one dense group "
                        + "does not use up --max-cycles (default: ${DEFAULT-VALUE})")
        int maxCyclesPerComponent;

        @Option(names = "--cycle-budget", paramLabel = "STEPS", defaultValue = "" + RuleOptions.DEFAULT_CYCLE_BUDGET,
                description = "Stop the cycle search after looking at STEPS edges; shortest cycles are searched first, and the "
                        + "report says when the budget ran out (default: ${DEFAULT-VALUE})")
        long cycleBudget;

        @Option(names = "--cycle-timeout", paramLabel = "SECONDS", defaultValue = "" + RuleOptions.DEFAULT_CYCLE_TIMEOUT_MILLIS / 1000,
                description = "Stop the cycle search after SECONDS of wall-clock time, a safety net for slow machines; the "
                        + "report says when it did (default: ${DEFAULT-VALUE})")
        long cycleTimeoutSeconds;

        @Option(names = {"-q", "--quiet"}, description = "No progress messages on stderr")
        boolean quiet;

        @Option(names = "--debug", description = "Print stack traces of errors")
        boolean debug;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ReportCommand(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        /** Reads and analyzes the recordings; a bad recording is a {@link BadRecordingException}. */
        AnalysisResult analyze() throws BadRecordingException {
            if (maxCycleLength < 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycle-length must be at least 2");
            }
            if (maxCycles < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycles must be at least 1");
            }
            if (maxCyclesPerComponent < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycles-per-component must be at least 1");
            }
            if (cycleBudget < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cycle-budget must be at least 1");
            }
            if (cycleTimeoutSeconds < 1 || cycleTimeoutSeconds > Long.MAX_VALUE / 1000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cycle-timeout must be at least 1 (seconds)");
            }
            RuleOptions options = new RuleOptions(maxCycleLength, maxCycles)
                    .withCycleSearch(maxCyclesPerComponent, cycleBudget, cycleTimeoutSeconds * 1000);
            Analyzer analyzer = new Analyzer(Rules.load(), options,
                    quiet ? null : msg -> err.println(PREFIX + msg));
            return analyzer.analyze(recordings);
        }

        /** Writes the report to -o FILE or stdout; returns false (after one line on stderr) if it cannot. */
        boolean report(AnalysisResult result) {
            try {
                if (output == null) {
                    write(result, out);
                } else {
                    Path parent = output.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(output))) {
                        write(result, o);
                    }
                }
                if (format != Format.text || output != null) {
                    // The text report on stdout has these lines; any other report, or a file, gets them on
                    // stderr too: a search that stopped at a limit is what a person must not miss.
                    new java.util.TreeMap<>(result.rules()).forEach((rule, ctx) -> ctx.bounds()
                            .forEach(b -> err.println(PREFIX + "BOUNDED (" + rule + "): " + b)));
                }
                return true;
            } catch (IOException e) {
                fail("cannot write the report to " + (output == null ? "stdout" : output) + ": " + e, e);
                return false;
            }
        }

        private void write(AnalysisResult result, OutputStream o) throws IOException {
            if (format == Format.json) {
                new JsonReport().write(result, o);
                return;
            }
            if (format == Format.sarif) {
                new SarifReport(sourceRoots, Path.of("")).write(result, o);
                return;
            }
            PrintStream ps = o instanceof PrintStream p ? p : new PrintStream(o, false, StandardCharsets.UTF_8);
            switch (format) {
                case html -> new HtmlReport().write(result, ps);
                case dot -> new DotReport().write(result, ps);
                default -> new TextReport().write(result, ps);
            }
            ps.flush();
            if (ps.checkError()) {
                throw new IOException("write failed");
            }
        }

        int fail(String message, Throwable t) {
            err.println(PREFIX + oneLine(message));
            if (debug) {
                t.printStackTrace(err);
            }
            return EXIT_BAD_INPUT;
        }
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
            description = {"Reports hazards (lock-order cycles...) found in lockdep4j JFR recordings.",
                    "Several recordings (for example of several JVMs) are analyzed as one lock graph."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:no findings", "1:findings reported", "2:bad input or usage (one line on stderr)",
                    "3:internal error"})
    static final class Analyze extends ReportCommand {
        Analyze(PrintStream out, PrintStream err) {
            super(out, err);
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
                return EXIT_BAD_INPUT;
            }
            if (output != null && !quiet) {
                err.println(PREFIX + TextReport.summary(result) + " (report: " + output + ")");
            }
            return result.findings().isEmpty() ? EXIT_OK : EXIT_FINDINGS;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
            description = {"For CI: like analyze, but fails only on findings that are not in the baseline.",
                    "Findings are matched by key (rule and lock classes, no line numbers), so code edits keep them matched.",
                    "Give every recording of the build (all test JVMs, all jobs): they are analyzed as one lock graph,",
                    "so an inversion whose two halves ran in different JVMs is still found.",
                    "The report lists the new findings only; stderr says how many were baselined."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:no new findings (or --write-baseline)", "1:new findings", "2:bad input or usage (one line on stderr)",
                    "3:internal error"})
    static final class Check extends ReportCommand {
        static final String DEFAULT_BASELINE = "lockdep4j-baseline.json";

        @Option(names = "--baseline", paramLabel = "FILE",
                description = "Known findings (default: " + DEFAULT_BASELINE + " if it exists, else none)")
        Path baseline;

        @Option(names = "--fail-on", paramLabel = "RULE[,RULE...]", split = ",",
                description = "Only new findings of these rules (ids, or error|warning|info severities) fail the check; default: all")
        List<String> failOn = List.of();

        @Option(names = "--write-baseline", description = "Record today's findings as the baseline and exit 0")
        boolean writeBaseline;

        Check(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            Path file = baseline != null ? baseline : Path.of(DEFAULT_BASELINE);
            Set<String> ruleIds = new TreeSet<>();
            Rules.load().forEach(r -> ruleIds.add(r.id()));
            for (String f : failOn) {
                if (!ruleIds.contains(f) && !SEVERITIES.contains(f.toLowerCase(Locale.ROOT))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--fail-on: unknown rule '" + f
                            + "' (rules: " + String.join(", ", ruleIds) + "; or a severity: error, warning, info)");
                }
            }
            Baseline known;
            try {
                known = writeBaseline || (baseline == null && !Files.exists(file)) ? Baseline.of(List.of()) : Baseline.read(file);
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
                return EXIT_OK;
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
                return EXIT_BAD_INPUT;
            }
            long gone = known.titles().keySet().stream().filter(k -> !seen.contains(k)).count();
            err.println(PREFIX + "check: " + fresh.size() + " new finding" + (fresh.size() == 1 ? "" : "s")
                    + (failing.size() == fresh.size() ? "" : " (" + failing.size() + " failing under --fail-on)")
                    + ", " + baselined + " baselined (in " + file + ")"
                    + (gone > 0 ? ", " + gone + " baselined finding" + (gone == 1 ? "" : "s")
                    + " not seen any more (refresh with --write-baseline)" : ""));
            return failing.isEmpty() ? EXIT_OK : EXIT_FINDINGS;
        }

        private static final Set<String> SEVERITIES = Set.of("error", "warning", "info");

        private boolean failsOn(Finding f) {
            return failOn.isEmpty() || failOn.contains(f.rule()) || failOn.stream().anyMatch(s -> s.equalsIgnoreCase(f.severity().label()));
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockdep4j analyzers " + Version.get()};
        }
    }
}
