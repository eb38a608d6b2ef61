package io.lockdep4j.analyzers.cli;

import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.Rules;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The analyzers' command line: parses and dispatches. The commands are {@link AnalyzeCommand},
 * {@link CheckCommand} and {@link WatchCommand}; the report formats ({@code --format}) come from
 * {@link io.lockdep4j.analyzers.report.ReportWriters} and the rule options ({@code --cycle-budget}...)
 * from the rules' declarations ({@link Rule#options()}), so neither is listed here.
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
        footer = {"", "The launcher (./lockdep4j) also provides: run, attach, detach, demo, jmc-report, build.", "",
                "Example:", "  lockdep4j analyze app.jfr", "  lockdep4j analyze --help"})
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
        List<Rule> rules = Rules.load();
        AnalyzeCommand analyze = new AnalyzeCommand(out, err, rules);
        CheckCommand check = new CheckCommand(out, err, rules);
        CommandLine cl = new CommandLine(new Main(err));
        for (ReportCommand command : List.of(analyze, check)) {
            CommandLine sub = new CommandLine(command);
            ReportCommand.addRegistryOptions(sub.getCommandSpec(), rules);
            cl.addSubcommand(sub);
        }
        cl.addSubcommand(new CommandLine(new WatchCommand(out, err)));
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

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockdep4j analyzers " + Version.get()};
        }
    }
}
