package io.lockdep4j.analyzers.cli;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.report.JsonReport;
import io.lockdep4j.analyzers.report.TextReport;
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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The analyzers' command line.
 *
 * <pre>
 * lockdep4j analyze app.jfr [more.jfr...] [--format text|json] [-o FILE]
 *                   [--max-cycle-length N] [--max-cycles N] [--quiet] [--debug]
 * </pre>
 *
 * Exit codes (also in {@code --help}):
 * <ul>
 *   <li>0: no findings
 *   <li>1: findings (of any severity)
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
        CommandLine cl = new CommandLine(new Main(err));
        cl.addSubcommand("analyze", analyze);
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
            if (analyze.debug) {
                ex.printStackTrace(err);
            }
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            err.println(PREFIX + "internal error: " + oneLine(String.valueOf(ex)) + (analyze.debug ? "" : " (rerun with --debug for details)"));
            if (analyze.debug) {
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

    enum Format { text, json }

    @Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
            description = {"Reports hazards (lock-order cycles...) found in lockdep4j JFR recordings.",
                    "Several recordings (for example of several JVMs) are analyzed as one lock graph."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:no findings", "1:findings reported", "2:bad input or usage (one line on stderr)",
                    "3:internal error"})
    static final class Analyze implements Callable<Integer> {
        private final PrintStream out;
        private final PrintStream err;

        @Parameters(arity = "1..*", paramLabel = "RECORDING.jfr", description = "JFR recordings made with the lockdep4j agent")
        List<Path> recordings;

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
                description = "Report format (default: ${DEFAULT-VALUE})")
        Format format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout")
        Path output;

        @Option(names = "--max-cycle-length", paramLabel = "N", defaultValue = "" + RuleOptions.DEFAULT_MAX_CYCLE_LENGTH,
                description = "Longest lock-order cycle searched, in lock classes (default: ${DEFAULT-VALUE})")
        int maxCycleLength;

        @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "" + RuleOptions.DEFAULT_MAX_CYCLES,
                description = "Stop the cycle search after N cycles (default: ${DEFAULT-VALUE})")
        int maxCycles;

        @Option(names = {"-q", "--quiet"}, description = "No progress messages on stderr")
        boolean quiet;

        @Option(names = "--debug", description = "Print stack traces of errors")
        boolean debug;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Analyze(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            if (maxCycleLength < 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycle-length must be at least 2");
            }
            if (maxCycles < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycles must be at least 1");
            }
            AnalysisResult result;
            try {
                Analyzer analyzer = new Analyzer(Rules.load(), new RuleOptions(maxCycleLength, maxCycles),
                        quiet ? null : msg -> err.println(PREFIX + msg));
                result = analyzer.analyze(recordings);
            } catch (BadRecordingException e) {
                return fail(e.getMessage(), e);
            }
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
            } catch (IOException e) {
                return fail("cannot write the report to " + (output == null ? "stdout" : output) + ": " + e, e);
            }
            if (output != null && !quiet) {
                err.println(PREFIX + TextReport.summary(result) + " (report: " + output + ")");
            }
            return result.findings().isEmpty() ? EXIT_OK : EXIT_FINDINGS;
        }

        private void write(AnalysisResult result, OutputStream o) throws IOException {
            if (format == Format.json) {
                new JsonReport().write(result, o);
            } else {
                PrintStream ps = o instanceof PrintStream p ? p : new PrintStream(o, false, StandardCharsets.UTF_8);
                new TextReport().write(result, ps);
                ps.flush();
                if (ps.checkError()) {
                    throw new IOException("write failed");
                }
            }
        }

        private int fail(String message, Throwable t) {
            err.println(PREFIX + oneLine(message));
            if (debug) {
                t.printStackTrace(err);
            }
            return EXIT_BAD_INPUT;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockdep4j analyzers " + Version.get()};
        }
    }
}
