package io.lockdep4j.maven;

import io.lockdep4j.analyzers.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Analyzes the recordings of the module's test JVMs as one lock graph with the analyzers' {@code check} command (run
 * in-process through its command-line entry point, so the plugin follows the CLI's options and baseline format),
 * writes {@code lockdep4j.txt}, {@code lockdep4j.html} and {@code lockdep4j.sarif} next to the recordings, prints
 * the new findings and fails the build when one of them is at or above {@code failOn}.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends LockdepMojo {
    private static final List<String> SEVERITIES = List.of("error", "warning", "info"); // most severe first

    /** Known findings (written by {@code lockdep4j check --write-baseline}); used when the file exists. */
    @Parameter(property = "lockdep4j.baseline", defaultValue = "${project.basedir}/lockdep4j-baseline.json")
    File baseline;

    /**
     * Which new findings fail the build: a severity ({@code error}, {@code warning}, {@code info}: that severity
     * and the more severe ones), rule ids (comma-separated, with severities if wanted), or {@code none} (report only).
     */
    @Parameter(property = "lockdep4j.failOn", defaultValue = "warning")
    String failOn;

    /** Writes today's findings to {@code baseline} (to review and commit) instead of checking; the build passes. */
    @Parameter(property = "lockdep4j.writeBaseline", defaultValue = "false")
    boolean writeBaseline;

    /**
     * Your code's class-name prefixes, comma-separated ({@code com.acme.,org.example.}): findings' titles and SARIF
     * locations name the first frame in them rather than a library's (the CLI's {@code --include}); keys, and so
     * the baseline, do not depend on it.
     */
    @Parameter(property = "lockdep4j.include")
    String include;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Path dir = recordingDirectory.toPath();
        List<String> recordings = recordings(dir);
        if (recordings.isEmpty()) {
            getLog().info("lockdep4j: no recordings in " + dir + " (no test JVM ran with prepare-agent's argLine): nothing to check");
            return;
        }
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(recordings);
        if (include != null && !include.isBlank()) {
            args.add("--include=" + include.replaceAll("\\s+", ""));
        }
        if (writeBaseline) {
            args.addAll(List.of("--write-baseline", "--baseline", baseline.getAbsolutePath()));
            Run r = run(args);
            if (r.exit != Main.EXIT_OK) {
                throw new MojoExecutionException("lockdep4j: cannot write the baseline (exit " + r.exit + "): " + r.err.trim());
            }
            getLog().info(r.err.trim());
            return;
        }
        args.addAll(List.of("--baseline", baselineFile(dir).toString()));
        List<String> roots = Stream.concat(project.getCompileSourceRoots().stream(), project.getTestCompileSourceRoots().stream())
                .filter(r -> new File(r).isDirectory()).toList();
        if (!roots.isEmpty()) {
            args.addAll(List.of("--source-roots", String.join(",", roots)));
        }
        boolean reportOnly = failOn.trim().equalsIgnoreCase("none");
        if (!reportOnly) {
            args.addAll(List.of("--fail-on", failOnRules(failOn)));
        }
        Path text = dir.resolve("lockdep4j.txt");
        // one analysis writes all three reports
        Run check = run(args, "--format", "text", "-o", text.toString(),
                "--also", "html=" + dir.resolve("lockdep4j.html"), "--also", "sarif=" + dir.resolve("lockdep4j.sarif"));
        if (check.exit > Main.EXIT_FINDINGS) {
            throw new MojoExecutionException("lockdep4j: check failed (exit " + check.exit + "): " + check.err.trim());
        }
        String report;
        try {
            report = Files.readString(text);
        } catch (IOException e) {
            throw new MojoExecutionException("lockdep4j: cannot read " + text + ": " + e, e);
        }
        boolean failing = check.exit == Main.EXIT_FINDINGS && !reportOnly;
        // The whole report when there is something to read; else its summary (the last line) and the check's line.
        String[] lines = report.split("\\R");
        String shown = check.exit == Main.EXIT_FINDINGS ? report : lines[lines.length - 1];
        for (String line : (shown + System.lineSeparator() + check.err.trim()).split("\\R")) {
            if (failing) {
                getLog().error(line);
            } else if (check.exit == Main.EXIT_FINDINGS) {
                getLog().warn(line);
            } else {
                getLog().info(line);
            }
        }
        getLog().info("lockdep4j: reports in " + dir + " (lockdep4j.txt, lockdep4j.html, lockdep4j.sarif)");
        if (failing) {
            throw new MojoFailureException("lockdep4j: new lock-order hazards at or above failOn=" + failOn + " (report: " + text
                    + "; to accept them: mvn verify -Dlockdep4j.writeBaseline, then commit " + baseline.getName() + ")");
        }
    }

    /** The {@code *.jfr} files directly in {@code dir}, sorted; none when it does not exist. */
    static List<String> recordings(Path dir) throws MojoExecutionException {
        try {
            return recordingFiles(dir);
        } catch (IOException e) {
            throw new MojoExecutionException("lockdep4j: cannot list " + dir + ": " + e, e);
        }
    }

    static List<String> recordingFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jfr") && Files.isRegularFile(p)).map(Path::toString).sorted().toList();
        }
    }

    /**
     * The configured baseline when it exists, else an empty one: always passing one keeps the CLI from looking for
     * {@code lockdep4j-baseline.json} in the current directory, which in a reactor build is not the module's.
     */
    private Path baselineFile(Path dir) throws MojoExecutionException {
        if (baseline.isFile()) {
            getLog().info("lockdep4j: baseline " + baseline);
            return baseline.toPath();
        }
        getLog().info("lockdep4j: no baseline (" + baseline + " does not exist): every finding is new");
        Path empty = dir.resolve("empty-baseline.json");
        try {
            Files.writeString(empty, "{\"tool\":\"lockdep4j\",\"baselineVersion\":1,\"findings\":[]}\n");
        } catch (IOException e) {
            throw new MojoExecutionException("lockdep4j: cannot write " + empty + ": " + e, e);
        }
        return empty;
    }

    /** {@code warning} means warnings and errors; rule ids pass through to the CLI's {@code --fail-on}. */
    static String failOnRules(String failOn) {
        List<String> out = new ArrayList<>();
        for (String item : failOn.split(",")) {
            String s = item.trim().toLowerCase(Locale.ROOT);
            int severity = SEVERITIES.indexOf(s);
            if (severity >= 0) {
                out.addAll(SEVERITIES.subList(0, severity + 1));
            } else if (!s.isEmpty()) {
                out.add(item.trim());
            }
        }
        return String.join(",", out.stream().distinct().toList());
    }

    private record Run(int exit, String err) { }

    private static Run run(List<String> common, String... more) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args.toArray(String[]::new), o, e);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }
}
