package io.lockdep4j.jmc;

import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.read.RecordingReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.report.html.JfrHtmlRulesReport;

/**
 * {@code lockdep4j jmc-report rec.jfr [-o out.html]}: JMC's automated analysis as an HTML page,
 * JDK rules and lockdep4j rules side by side, without JMC installed.
 *
 * <p>Exit codes: 0 report written, every rule evaluated; 2 bad usage or an unreadable recording (one
 * line on stderr); 3 report written but at least one rule failed (each named on stderr with its
 * cause). JMC's own report tools log a failed rule and carry on with exit 0, which hid a broken
 * jar: here the failures JMC logs are collected by {@link RuleFailures} and decide the exit code.
 */
public final class JmcReport {
    private static final String USAGE = "usage: lockdep4j jmc-report rec.jfr [-o out.html]"
            + " (exit 0 written, 2 bad input, 3 written but a rule failed)";
    static final int RULE_FAILED = 3;

    private JmcReport() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path in = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-o") || a.equals("--output")) {
                if (i + 1 >= args.length) {
                    return fail(a + " needs a file (" + USAGE + ")");
                }
                out = Path.of(args[++i]);
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                return 0;
            } else if (a.startsWith("-")) {
                return fail("unknown option '" + a + "' (" + USAGE + ")");
            } else if (in != null) {
                return fail("one recording at a time (" + USAGE + ")");
            } else {
                in = Path.of(a);
            }
        }
        if (in == null) {
            return fail("no recording given (" + USAGE + ")");
        }
        if (out == null) {
            String name = in.getFileName().toString().replaceFirst("\\.jfr$", "");
            out = in.resolveSibling(name + ".html");
        }
        List<String> failures;
        try {
            RecordingReader.validate(in); // the same one-line messages as 'lockdep4j analyze'
            IItemCollection items = JfrLoaderToolkit.loadEvents(in.toFile());
            String html;
            try (RuleFailures watch = RuleFailures.watch(JfrHtmlRulesReport.class)) {
                html = JfrHtmlRulesReport.createReport(items);
                failures = watch.failures();
            }
            // The analysis all lockdep4j rules share: absent when none ran, failed when it threw.
            LockdepAnalysis analysis = LockdepAnalysis.cached(items);
            String analysisFailure = analysis == null ? "no lockdep4j rule ran (is " + LockdepJmcRule.class.getName()
                    + "'s jar on the class path with its META-INF/services entry?)" : analysis.failure();
            if (analysisFailure != null && failures.isEmpty()) {
                failures = List.of("lockdep4j rules: " + analysisFailure);
            }
            Files.writeString(out, html, StandardCharsets.UTF_8);
        } catch (BadRecordingException e) {
            return fail(e.getMessage());
        } catch (CouldNotLoadRecordingException | RuntimeException e) {
            return fail(in + ": JMC could not load the recording (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (IOException e) {
            return fail("cannot write " + out + ": " + e.getMessage());
        }
        if (!failures.isEmpty()) {
            for (String f : failures) {
                System.err.println("lockdep4j: rule failed: " + f);
            }
            System.err.println("lockdep4j: JMC report written to " + out + ", but " + failures.size()
                    + (failures.size() == 1 ? " rule" : " rules") + " failed (see above; their results are missing)");
            return RULE_FAILED;
        }
        System.err.println("lockdep4j: JMC report written to " + out);
        return 0;
    }

    private static int fail(String message) {
        System.err.println("lockdep4j: " + message);
        return 2;
    }
}
