package io.lockdep4j.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmc.common.item.IAccessorKey;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.report.JfrRulesReport;

/**
 * Recordings made by a real JVM with the real agent jar and the lockdep4j.jfc profile, read by
 * JMC's own parser and rules report.
 */
class JmcRulesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path AGENT = ROOT.resolve("agent/target/lockdep4j-agent.jar");
    static final Path JFC = ROOT.resolve("agent/src/main/resources/lockdep4j.jfc");

    @TempDir
    static Path dir;
    static Path inverted;
    static Path consistent;

    @BeforeAll
    static void record() throws Exception {
        inverted = record("inverted");
        consistent = record("consistent");
    }

    static Path record(String mode) throws Exception {
        Path rec = dir.resolve(mode + ".jfr");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + AGENT, "-XX:StartFlightRecording:settings=default,settings=" + JFC + ",filename=" + rec,
                "-cp", Path.of("target", "test-classes").toAbsolutePath().toString(), "io.lockdep4j.jmc.workload.TwoOrders", mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "workload hung");
        String log = Files.readString(dir.resolve(mode + ".log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("workload done"), log);
        return rec;
    }

    @Test
    void jmcParserShowsLockdepEventsWithLabelsCategoriesAndUnits() throws Exception {
        IItemCollection items = JfrLoaderToolkit.loadEvents(inverted.toFile());
        Map<String, IType<?>> types = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (IItemIterable it : items) {
            String id = it.getType().getIdentifier();
            if (id.startsWith("lockdep4j.")) {
                types.put(id, it.getType());
                counts.merge(id, it.getItemCount(), Long::sum);
            }
        }
        assertTrue(counts.getOrDefault("lockdep4j.LockOrderEdge", 0L) >= 2, counts.toString());
        assertTrue(counts.getOrDefault("lockdep4j.LockChain", 0L) >= 2, counts.toString());
        // every lockdep4j type the agent registered: a readable name and a description, not the raw id
        assertTrue(types.size() >= 10, types.keySet().toString());
        for (IType<?> t : types.values()) {
            assertFalse(t.getName().startsWith("lockdep4j."), "no label: " + t.getIdentifier());
            assertTrue(t.getDescription() != null && t.getDescription().length() > 20, "no description: " + t.getIdentifier());
            for (IAccessorKey<?> key : t.getAccessorKeys().keySet()) {
                var attr = t.getAccessorKeys().get(key);
                assertTrue(attr != null && attr.getName() != null && !attr.getName().isBlank(),
                        t.getIdentifier() + "." + key.getIdentifier() + " has no label");
            }
        }
        IType<?> edge = types.get("lockdep4j.LockOrderEdge");
        assertEquals("Lock Order Edge", edge.getName());
        // JMC's Event Browser tree comes from the categories: lockdep4j / Locks
        Map<String, String[]> categories = categories(inverted);
        assertEquals(List.of("lockdep4j", "Locks"), List.of(categories.get("lockdep4j.LockOrderEdge")));
        assertEquals(List.of("lockdep4j", "Release"), List.of(categories.get("lockdep4j.FileForce")));
        for (Map.Entry<String, String[]> e : categories.entrySet()) {
            assertEquals("lockdep4j", e.getValue()[0], e.getKey() + " is outside the lockdep4j category");
        }
        // units: a @Timespan field is a duration for JMC, not a bare number
        IType<?> contended = types.get("lockdep4j.LockContended");
        boolean timespan = contended != null && contended.getAccessorKeys().keySet().stream()
                .anyMatch(k -> k.getContentType() == UnitLookup.TIMESPAN && !k.getIdentifier().equals("duration"));
        IType<?> held = types.get("lockdep4j.LockHeld");
        timespan |= held != null && held.getAccessorKeys().keySet().stream()
                .anyMatch(k -> k.getContentType() == UnitLookup.TIMESPAN && !k.getIdentifier().equals("duration"));
        assertTrue(timespan, "no lockdep4j field is a JMC timespan");
    }

    /** Categories as the JDK's metadata has them (JMC's IType does not expose them). */
    static Map<String, String[]> categories(Path rec) throws Exception {
        Map<String, String[]> out = new HashMap<>();
        for (jdk.jfr.EventType t : new jdk.jfr.consumer.RecordingFile(rec).readEventTypes()) {
            if (t.getName().startsWith("lockdep4j.")) {
                out.put(t.getName(), t.getCategoryNames().toArray(new String[0]));
            }
        }
        return out;
    }

    record RuleLine(String name, String severity, double score, String summary) {}

    /** JMC's headless report (org.openjdk.jmc.flightrecorder.rules.report.JfrRulesReport), as text. */
    static List<RuleLine> jmcReport(Path rec) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            JfrRulesReport.printReport("text", org.openjdk.jmc.flightrecorder.rules.Severity.OK, true, false, rec.toString());
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        List<RuleLine> lines = new ArrayList<>();
        Matcher m = Pattern.compile("Rule: (.*)\\RSeverity: (\\w+)\\RScore: ([\\d.]+)\\RSummary: (.*)").matcher(text);
        while (m.find()) {
            lines.add(new RuleLine(m.group(1), m.group(2), Double.parseDouble(m.group(3)), m.group(4)));
        }
        assertTrue(lines.size() > 10, "JMC's own rules should be there too:\n" + text);
        return lines;
    }

    static RuleLine find(List<RuleLine> lines, String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name + " in " + lines));
    }

    @Test
    void headlessReportShowsTheCycleNextToJdkRules() throws Exception {
        List<RuleLine> lines = jmcReport(inverted);
        RuleLine cycle = find(lines, "Lock order cycle (possible deadlock)");
        assertTrue(cycle.severity().equalsIgnoreCase("warning"), cycle.toString()); // JMC's highest level
        assertEquals(100.0, cycle.score(), cycle.toString());
        assertTrue(cycle.summary().contains("TwoOrders.indexLock") && cycle.summary().contains("TwoOrders.tableLock"), cycle.summary());
        // this recording has no file events: the other hazard families are OK (or say their rule is not available)
        for (String name : List.of("Force to disk in a notifier", "Blocking release", "Wait while holding a lock",
                "Resource leaks and release misuse", "Other lockdep4j findings")) {
            RuleLine l = find(lines, name);
            assertTrue(l.severity().equalsIgnoreCase("ok") && l.score() == 0, l.toString());
        }
    }

    @Test
    void headlessReportOnCleanRecordingIsOk() throws Exception {
        List<RuleLine> lines = jmcReport(consistent);
        for (String name : List.of("Lock order cycle (possible deadlock)", "Force to disk in a notifier", "Blocking release",
                "Wait while holding a lock", "Resource leaks and release misuse", "Other lockdep4j findings")) {
            RuleLine l = find(lines, name);
            assertTrue(l.severity().equalsIgnoreCase("ok"), l.toString());
            assertEquals(0.0, l.score(), l.toString());
        }
        assertTrue(find(lines, "Lock order cycle (possible deadlock)").summary().contains("no findings"));
    }

    @Test
    void jmcReportMainWritesHtmlAndRejectsBadInput() throws Exception {
        Path html = dir.resolve("inverted.html");
        assertEquals(0, JmcReport.run(new String[] {inverted.toString(), "-o", html.toString()}));
        String page = Files.readString(html);
        assertTrue(page.contains("Lock order cycle (possible deadlock)"), "our rule is on the page");
        assertTrue(page.contains("TwoOrders.indexLock"), "with its finding");
        Path text = dir.resolve("not.jfr");
        Files.writeString(text, "hello");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, JmcReport.run(new String[] {text.toString()}));
            assertEquals(2, JmcReport.run(new String[] {}));
        } finally {
            System.setErr(old);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("lockdep4j: ") && lines.get(0).contains("not a JFR recording"), lines.get(0));
    }
}
