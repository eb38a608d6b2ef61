package io.lockdep4j.analyzers.cli;

import static io.lockdep4j.analyzers.cli.Main.PREFIX;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.report.ReportOptions;
import io.lockdep4j.analyzers.report.ReportWriter;
import io.lockdep4j.analyzers.report.ReportWriters;
import io.lockdep4j.analyzers.rules.AppFrames;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.RuleOption;
import io.lockdep4j.analyzers.rules.RuleOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code analyze} and {@code check} share: the recordings, the report format and its file, and
 * the rules' options. Neither the formats nor the rule options are written here: {@code --format}
 * takes the name of any registered {@link ReportWriter}, and each option a rule declares
 * ({@link Rule#options()}) becomes {@code --NAME} with the rule's doc and default
 * ({@link #addRegistryOptions}).
 */
abstract class ReportCommand implements Callable<Integer> {
    static final String FORMAT = "--format";

    final PrintStream out;
    final PrintStream err;
    final List<Rule> rules;

    @Parameters(arity = "1..*", paramLabel = "RECORDING.jfr", description = "JFR recordings made with the lockdep4j agent")
    List<Path> recordings;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout")
    Path output;

    @Option(names = "--also", paramLabel = "FORMAT=FILE",
            description = "Also write the same analysis in FORMAT to FILE (repeatable): one analysis, several reports, "
                    + "e.g. --also html=report.html --also sarif=report.sarif")
    Map<String, Path> also = new LinkedHashMap<>();

    @Option(names = "--source-roots", paramLabel = "DIR[,DIR...]", split = ",",
            description = "SARIF: directories holding the sources (e.g. src/main/java,src/test/java); a location found "
                    + "under one is written relative to the current directory, as code scanning expects")
    List<Path> sourceRoots = List.of();

    @Option(names = "--include", paramLabel = "PREFIX", split = ",",
            description = "Your code's class-name prefixes (e.g. com.acme.,org.example.): a finding's title and SARIF location "
                    + "name the first frame in them. Without it: the first frame outside the JDK and outside the library that made "
                    + "the blocking call. Finding keys, and so baselines, stay the same")
    List<String> include = List.of();

    @Option(names = {"-v", "--verbose"}, description = "Text report: also each rule's statistics and details (latency per "
            + "release path, ...) before the summary")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress messages on stderr")
    boolean quiet;

    @Option(names = "--progress", description = "Progress messages on stderr for long inputs even when stderr is not a terminal "
            + "(by default they are shown only on a terminal, never in files or pipes)")
    boolean progress;

    @Option(names = "--debug", description = "Print stack traces of errors")
    boolean debug;

    @CommandLine.Spec
    CommandSpec spec;

    ReportCommand(PrintStream out, PrintStream err, List<Rule> rules) {
        this.out = out;
        this.err = err;
        this.rules = rules;
    }

    /** Adds {@code --format} (from the registered writers) and one option per declared rule option to {@code command}. */
    static void addRegistryOptions(CommandSpec command, List<Rule> rules) {
        List<ReportWriter> writers = ReportWriters.load();
        String names = writers.stream().map(ReportWriter::name).collect(Collectors.joining("|"));
        command.addOption(OptionSpec.builder(FORMAT).paramLabel(names).type(ReportWriter.class)
                .converters((CommandLine.ITypeConverter<ReportWriter>) name -> ReportWriters.byName(name).orElseThrow(() -> new CommandLine.TypeConversionException(
                        "expected one of " + names.replace("|", ", ") + " but was '" + name + "'")))
                .defaultValue(writers.get(0).name())
                .description("Report format (default: ${DEFAULT-VALUE}): " + writers.stream()
                        .map(w -> w.name() + " (" + w.description() + ")").collect(Collectors.joining(", ")))
                .build());
        for (RuleOption o : RuleOptions.declaredBy(rules)) {
            command.addOption(OptionSpec.builder(o.flag()).paramLabel(o.paramLabel()).type(long.class)
                    .defaultValue(Long.toString(o.defaultValue())).description(o.doc() + " (default: ${DEFAULT-VALUE})").build());
        }
    }

    ReportWriter format() {
        return spec.findOption(FORMAT).getValue();
    }

    /** The rule options given on the command line; an out-of-range value is a usage error naming the flag. */
    RuleOptions ruleOptions() {
        RuleOptions options;
        try {
            options = RuleOptions.defaults().with(AppFrames.including(include));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (RuleOption o : RuleOptions.declaredBy(rules)) {
            long value = spec.findOption(o.flag()).<Long>getValue();
            try {
                options = options.with(o, value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return options;
    }

    /** Reads and analyzes the recordings; a bad recording is a {@link BadRecordingException}. */
    AnalysisResult analyze() throws BadRecordingException {
        boolean showProgress = !quiet && (progress || Terminal.stderrIsTerminal());
        Analyzer analyzer = new Analyzer(rules, ruleOptions(), showProgress ? msg -> err.println(PREFIX + msg) : null);
        return analyzer.analyze(recordings);
    }

    /**
     * Writes the report to -o FILE or stdout, and each {@code --also FORMAT=FILE}; returns false (after one line on
     * stderr) if one cannot be written or names no registered format.
     */
    boolean report(AnalysisResult result) {
        ReportOptions options = new ReportOptions(sourceRoots, Path.of(""), verbose);
        for (String name : also.keySet()) {
            if (ReportWriters.byName(name).isEmpty()) {
                fail("--also: unknown format '" + name + "' (formats: "
                        + ReportWriters.load().stream().map(ReportWriter::name).collect(Collectors.joining(", ")) + ")", null);
                return false;
            }
        }
        ReportWriter writer = format();
        if (!write(writer, result, options, output)) {
            return false;
        }
        for (var e : also.entrySet()) {
            if (!write(ReportWriters.byName(e.getKey()).orElseThrow(), result, options, e.getValue())) {
                return false;
            }
        }
        if (!writer.printsBoundsAsLines() || output != null) {
            new TreeMap<>(result.rules()).forEach((rule, ctx) -> ctx.bounds()
                    .forEach(b -> err.println(PREFIX + "BOUNDED (" + rule + "): " + b)));
        }
        return true;
    }

    /** One report in one format, to {@code file} or (null) stdout; false after one line on stderr if it cannot. */
    private boolean write(ReportWriter writer, AnalysisResult result, ReportOptions options, Path file) {
        try {
            if (file == null) {
                writer.write(result, options, out);
            } else {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file))) {
                    writer.write(result, options, o);
                }
            }
            return true;
        } catch (IOException e) {
            fail("cannot write the report to " + (file == null ? "stdout" : file) + ": " + e, e);
            return false;
        }
    }

    int fail(String message, Throwable t) {
        err.println(PREFIX + Main.oneLine(message));
        if (debug && t != null) {
            t.printStackTrace(err);
        }
        return Main.EXIT_BAD_INPUT;
    }
}
