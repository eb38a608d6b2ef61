package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMC jars users get, run as users run them, each in a fresh JVM whose class path holds only
 * those jars: {@code ./lockdep4j jmc-report} (the runnable report jar), and the dropins jar beside
 * JMC's own core bundles under JMC's headless {@code JfrRulesReport}, on the demo's recording (every
 * hazard family present). Module tests run on Maven's class path and once missed that the jars
 * lacked HdrHistogram: every lockdep4j rule failed with {@code NoClassDefFoundError} and the report
 * still said "written", exit 0.
 */
class JmcShippedJarsEndToEndTest {
    static final Path REPORT_JAR = Launcher.ROOT.resolve("jmc-rules/target/lockdep4j-jmc-report.jar");
    static final Path RULES_JAR = Launcher.ROOT.resolve("jmc-rules/target/lockdep4j-jmc-rules.jar");
    /** The names of the lockdep4j JMC rules, one per class listed in the jar's META-INF/services file. */
    static final List<String> RULES = List.of("Lock order cycle (possible deadlock)", "Force to disk in a notifier",
            "Blocking release", "Wait while holding a lock", "Resource leaks and release misuse", "Other lockdep4j findings");
    /** What a failed rule or a missing class leaves in the output: JMC's log line, the error, a stack trace. */
    static final Pattern FAILURE_TEXT = Pattern.compile(
            "NoClassDefFoundError|ClassNotFoundException|LinkageError|Error while evaluating|rule failed|\\w+(Exception|Error): |\\tat ");

    @TempDir
    Path dir;

    @Test
    void launcherJmcReportRunsEveryLockdepRule() throws Exception {
        Path rec = DemoRecording.get();
        assertEquals(RULES.size(), serviceEntries(RULES_JAR), "a rule was added or removed: update RULES");
        Path html = dir.resolve("jmc.html");
        Launcher.Result r = Launcher.lockdep4j("jmc-report", rec.toString(), "-o", html.toString());
        assertNoFailureText(r);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("JMC report written to " + html), r.stderr());
        String page = Files.readString(html);
        for (String rule : RULES) {
            // JMC leaves a failed rule out of the page: each name there is a result
            assertTrue(page.contains(rule), rule + " has no result in the page");
        }
        assertTrue(page.contains("NfsExport") || page.contains("nfs"), "the demo's findings are on the page");
    }

    @Test
    void dropinsJarBesideJmcCoreRunsEveryLockdepRuleWithAResult() throws Exception {
        Path rec = DemoRecording.get();
        List<String> cp = new ArrayList<>(List.of(RULES_JAR.toString()));
        cp.addAll(jmcCoreBundles());
        Launcher.Result r = Launcher.exec(List.of(Launcher.JAVA, "-cp", String.join(File.pathSeparator, cp),
                "org.openjdk.jmc.flightrecorder.rules.report.JfrRulesReport", "-format", "text", "-min", "ok", "-verbose",
                rec.toString()), 300);
        assertNoFailureText(r);
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> results = results(r.stdout());
        for (String rule : RULES) {
            String sev = results.get(rule);
            assertTrue(sev != null, rule + " has no result: " + results.keySet());
            assertFalse(sev.equalsIgnoreCase("na") || sev.equalsIgnoreCase("ignore"), rule + ": " + sev);
        }
        // every hazard is on in the demo: the cycle rule has its finding
        assertTrue(results.get(RULES.get(0)).equalsIgnoreCase("warning"), results.toString());
    }

    @Test
    void aRuleThatFailsMakesJmcReportExitNonZero() throws Exception {
        // The original defect, rebuilt: the report jar without HdrHistogram.
        Path broken = dir.resolve("broken-report.jar");
        copyWithout(REPORT_JAR, broken, "org/HdrHistogram/");
        Path rec = DemoRecording.get();
        Launcher.Result r = Launcher.exec(List.of(Launcher.JAVA, "-cp", broken.toString(), "io.lockdep4j.jmc.JmcReport",
                rec.toString(), "-o", dir.resolve("j.html").toString()), 300);
        assertEquals(3, r.exitCode(), r.stderr());
        for (String rule : RULES) {
            assertTrue(r.stderr().contains("rule failed: Error while evaluating rule \"" + rule + "\""), r.stderr());
        }
        assertTrue(r.stderr().contains("org/HdrHistogram/Histogram") || r.stderr().contains("org.HdrHistogram.Histogram"), r.stderr());
        assertTrue(r.stderr().contains("but " + RULES.size() + " rules failed"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "one line per failure, no stack: " + r.stderr());
    }

    static void assertNoFailureText(Launcher.Result r) {
        Matcher m = FAILURE_TEXT.matcher(r.stdout() + r.stderr());
        if (m.find()) {
            throw new AssertionError("failure text '" + m.group() + "' in the output:\n" + r.stderr() + r.stdout());
        }
    }

    /** Rule name to severity, from JfrRulesReport's text format. */
    static Map<String, String> results(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("Rule: (.*)\\RSeverity: (\\w+)").matcher(text);
        while (m.find()) {
            out.put(m.group(1).strip(), m.group(2));
        }
        assertTrue(out.size() > 10, "JMC's own rules ran too:\n" + text);
        return out;
    }

    /**
     * The bundles a JMC 9 installation provides to dropins (the rules jar leaves them out), taken from
     * this module's test class path, which has them through the jmc-rules dependency.
     */
    static List<String> jmcCoreBundles() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.matches("(common|flightrecorder|flightrecorder\\.rules|flightrecorder\\.rules\\.jdk)-\\d.*\\.jar")
                    && e.contains("org" + File.separator + "openjdk" + File.separator + "jmc")
                    || name.matches("(encoder|lz4-java)-\\d.*\\.jar")) {
                out.add(e);
            }
        }
        assertEquals(6, out.size(), "JMC core bundles on the test class path: " + out);
        return out;
    }

    static long serviceEntries(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            ZipEntry e = z.getEntry("META-INF/services/org.openjdk.jmc.flightrecorder.rules.IRule");
            assertTrue(e != null, jar + " registers no JMC rule");
            try (InputStream in = z.getInputStream(e)) {
                return new String(in.readAllBytes()).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
            }
        }
    }

    static void copyWithout(Path from, Path to, String prefix) throws IOException {
        try (ZipFile z = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (!e.getName().startsWith(prefix)) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream in = z.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }
}
