package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockdep4j.tests.workloads.Faults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: faults inside the agent are contained: counted, reported once, and the host runs on
 * with the same results. Real JVMs, the real agent jar through the launcher, real causes where
 * there are real causes ({@link io.lockdep4j.tests.workloads.Faults}).
 */
class AgentFaultsEndToEndTest {
    static final String FAULTS = "io.lockdep4j.tests.workloads.Faults";
    static final String LEFT = FAULTS + "$Left";
    static final String RIGHT = FAULTS + "$Right";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<String> workload(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", Launcher.TEST_CLASSES, FAULTS));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The host's own output: its result and done lines (JFR's and the agent's lines excluded). */
    static List<String> hostLines(String stdout) {
        return stdout.lines().filter(l -> l.startsWith("result ") || l.startsWith("faults ")).toList();
    }

    /** Runs the workload plainly, then under the agent (verbose, so failures are also printed). */
    Launcher.Result runBoth(Path rec, List<String> jvmOptions, String... args) throws Exception {
        Launcher.Result plain = Launcher.exec(workload(jvmOptions, args), 120);
        assertEquals(0, plain.exitCode(), plain.stdout() + plain.stderr());
        assertEquals(2, hostLines(plain.stdout()).size(), plain.stdout());

        List<String> run = new ArrayList<>(List.of("run", "-o", rec.toString(), "--agent-opts", "verbose=true", "--timeout", "150", "--"));
        run.addAll(workload(jvmOptions, args));
        Launcher.Result agent = Launcher.lockdep4j(run.toArray(new String[0]));
        assertEquals(0, agent.exitCode(), agent.stdout() + agent.stderr());
        assertEquals(hostLines(plain.stdout()), hostLines(agent.stdout()), "the host computed something else under the agent");
        assertFalse(agent.stderr().contains("Exception in thread") || agent.stderr().contains("still running after"), agent.stderr());
        return agent;
    }

    static List<String> failureLines(Launcher.Result agent) {
        return agent.stderrLines().stream().filter(l -> l.startsWith("lockdep4j: agent failure")).toList();
    }

    /** The last AgentStatistics event (counters only grow) and the AgentError events by kind. */
    record Recorded(RecordedEvent stats, Map<String, Integer> errorsByKind) {}

    static Recorded read(Path rec) throws Exception {
        RecordedEvent stats = null;
        Map<String, Integer> errors = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            switch (e.getEventType().getName()) {
                case "lockdep4j.AgentStatistics" -> {
                    if (stats == null || !e.getStartTime().isBefore(stats.getStartTime())) {
                        stats = e;
                    }
                }
                case "lockdep4j.AgentError" -> errors.merge(e.getString("kind"), 1, Integer::sum);
                default -> { }
            }
        }
        assertTrue(stats != null, "no lockdep4j.AgentStatistics in " + rec);
        return new Recorded(stats, errors);
    }

    /** The analysis finds exactly the Left/Right inversion (so the rest of the host was traced) and says it is incomplete. */
    static JsonNode analyzeFindsOnlyTheInversion(Path rec) throws Exception {
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(1, analyze.exitCode(), "one finding expected; " + analyze.stderr() + analyze.stdout());
        JsonNode report = JSON.readTree(analyze.stdout());
        List<Set<String>> cycles = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            if ("lock-order-cycle".equals(f.path("rule").asText())) {
                Set<String> locks = new TreeSet<>();
                f.path("locks").forEach(n -> locks.add(n.asText()));
                cycles.add(locks);
            }
        }
        assertEquals(List.of(Set.of(LEFT, RIGHT)), cycles, report.toPrettyString());
        assertTrue(report.path("summary").path("incomplete").asBoolean(), "locks the agent could not see: incomplete; " + report.path("summary"));
        return report;
    }

    /**
     * A class that cannot be transformed, for a real reason: a method that the monitor hooks push
     * over the JVM's 64 KB code limit (ASM's MethodTooLargeException), defined in 5 loaders. The
     * host prints the same result; each load is counted in transformFailures, but the class is
     * reported once (one AgentError event, one stderr line), not once per load; advice failures
     * stay 0; and the rest of the program is still instrumented: the inversion elsewhere is found.
     * A class whose super class Byte Buddy's type pool cannot resolve (defined from bytes by a
     * loader that serves no class files) used to fail too; since the agent builds only declared
     * method graphs it is instrumented, and its lock is traced.
     */
    @Test
    void classesThatCannotBeTransformedAreCountedReportedOnceAndTheRestIsTraced() throws Exception {
        Path rec = dir.resolve("untransformable.jfr");
        Launcher.Result agent = runBoth(rec, List.of(), "untransformable");

        List<String> lines = failureLines(agent);
        assertEquals(1, lines.size(), "one line per class, not per load: " + agent.stderr());
        assertTrue(lines.stream().anyMatch(l -> l.contains(Faults.HUGE_CLASS) && l.contains("MethodTooLargeException")), lines.toString());

        Recorded r = read(rec);
        assertEquals(1, r.errorsByKind().size(), r.errorsByKind().toString());
        r.errorsByKind().forEach((kind, n) -> assertEquals(1, n, "reported once: " + kind));
        assertEquals(Faults.LOADS, r.stats().getLong("transformFailures"), r.stats().toString());
        boolean derivedTraced = RecordingFile.readAllEvents(rec).stream()
                .anyMatch(e -> e.getEventType().getName().equals("lockdep4j.LockChain") && e.toString().contains("RuntimeDerived.derivedLock"));
        assertTrue(derivedTraced, "the class with an unresolvable super class is instrumented: its lock is traced");
        assertEquals(0, r.stats().getLong("agentFailures"), "a transform failure is not an advice failure: " + r.stats());

        JsonNode report = analyzeFindsOnlyTheInversion(rec);
        assertTrue(report.path("warnings").toString().contains("transformFailures=" + Faults.LOADS), report.path("warnings").toString());
    }

    /**
     * An advice that throws: {@code -Dlockdep4j.test.failEveryNth=97} makes every 97th recorded
     * acquisition throw inside the hook's guarded region. 8 threads take 4 nested locks (two
     * monitors, a ReentrantLock, a tryLock) 20,000 times each. The host prints the same result
     * and finishes (no deadlock: the launcher's timeout and the workload's joins), every failure is
     * counted in agentFailures, each hook reports its failure once (one event and one stderr line
     * per hook, not one per failure), and the recording is still analyzable: the inversion at the
     * end is found, the consistent nesting is not a cycle, and the report says it is incomplete.
     */
    @Test
    void anAdviceThatThrowsIsCountedReportedOnceAndTheHostRunsOn() throws Exception {
        int threads = 8;
        int steps = 20_000;
        int nth = 97;
        Path rec = dir.resolve("failing-advice.jfr");
        Launcher.Result agent = runBoth(rec, List.of("-Dlockdep4j.test.failEveryNth=" + nth),
                "nested", String.valueOf(threads), String.valueOf(steps));

        Recorded r = read(rec);
        long acquisitions = 4L * threads * steps; // at least: JDK-internal locks and the inversion come on top
        long failures = r.stats().getLong("agentFailures");
        assertTrue(failures >= acquisitions / nth, "every injected failure is counted: " + failures + " < " + acquisitions / nth);
        assertEquals(0, r.stats().getLong("transformFailures"), r.stats().toString());

        Set<String> hooks = Set.of("monitorEnter", "beforeLock", "afterTryLock");
        assertTrue(hooks.containsAll(r.errorsByKind().keySet()) && r.errorsByKind().size() >= 2, r.errorsByKind().toString());
        r.errorsByKind().forEach((kind, n) -> assertEquals(1, n, "reported once, not per failure: " + kind));
        List<String> lines = failureLines(agent);
        assertEquals(r.errorsByKind().size(), lines.size(), agent.stderr());
        assertTrue(lines.stream().allMatch(l -> l.contains("injected by lockdep4j.test.failEveryNth=" + nth)), lines.toString());

        JsonNode report = analyzeFindsOnlyTheInversion(rec);
        assertTrue(report.path("warnings").toString().contains("agentFailures="), report.path("warnings").toString());
    }

    /**
     * A full JFR buffer. The soak workload (16 threads, 5*10^5 acquisitions over 900 generated
     * lock classes: ~80,000 new chains and ~10^5 edges, each a JFR event with a stack trace, in a
     * few seconds) runs with JFR's buffers at their minimum ({@code memorysize=1m,
     * globalbuffersize=64k,numglobalbuffers=16,threadbuffersize=4k}). JFR does not block the host
     * when it cannot keep up: it discards buffers and says so with {@code jdk.DataLoss} (measured
     * on 2 busy cores: JDK 17 lost 1-15% of the chain events in 22-129 DataLoss events; JDK 25
     * kept up and lost nothing). So the host must finish with the same checksum, and whenever the
     * recording holds {@code jdk.DataLoss} the analysis must say so (and that the lock graph is
     * complete from the agent's summary, or else incomplete; see NothingLostEndToEndTest); when it holds
     * none it must not claim JFR lost anything. Whether JFR loses data depends on the machine's
     * load, so both outcomes are accepted.
     */
    @Test
    void aFloodThatFillsJfrsBuffersLeavesTheHostAloneAndTheLossIsReported() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA, "-Xmx256m",
                "-XX:FlightRecorderOptions:memorysize=1m,globalbuffersize=64k,numglobalbuffers=16,threadbuffersize=4k",
                "-Dsoak.classes=300", "-Dsoak.acquisitions=500000", "-Dsoak.threads=16", "-Dsoak.virtualThreads=0",
                "-cp", Launcher.TEST_CLASSES, SoakTest.SOAK));
        Launcher.Result plain = Launcher.exec(cmd, 120);
        assertEquals(0, plain.exitCode(), plain.stdout() + plain.stderr());

        Path rec = dir.resolve("flood.jfr");
        List<String> run = new ArrayList<>(List.of("run", "-o", rec.toString(), "--timeout", "200", "--"));
        run.addAll(cmd);
        Launcher.Result agent = Launcher.lockdep4j(run.toArray(new String[0]));
        assertEquals(0, agent.exitCode(), agent.stdout() + agent.stderr());
        assertTrue(agent.stdout().contains("soak done"), agent.stdout());
        assertEquals(SoakTest.value(plain.stdout(), "checksum"), SoakTest.value(agent.stdout(), "checksum"),
                "the host computed something else under the agent");

        long dataLoss = 0;
        long chains = 0;
        try (RecordingFile f = new RecordingFile(rec)) {
            while (f.hasMoreEvents()) {
                String name = f.readEvent().getEventType().getName();
                if (name.equals("jdk.DataLoss")) {
                    dataLoss++;
                } else if (name.equals("lockdep4j.LockChain")) {
                    chains++;
                }
            }
        }
        assertTrue(chains > 10_000, "a flood of new chains: " + chains);

        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(0, analyze.exitCode(), "one consistent lock order: no finding; " + analyze.stderr());
        JsonNode report = JSON.readTree(analyze.stdout());
        String warnings = report.path("warnings").toString();
        JsonNode recording = report.path("recordings").get(0);
        String reasons = recording.path("incompleteReasons").toString();
        // Soak.deepNesting holds 64 locks at once, deeper than the agent tracks: that loss is always said
        assertTrue(reasons.contains("depthOverflows="), recording.toString());
        assertTrue(report.path("summary").path("incomplete").asBoolean(), report.path("summary").toString());
        if (dataLoss > 0) {
            assertTrue(warnings.contains("JFR lost") && warnings.contains(dataLoss + " jdk.DataLoss events"), warnings);
            // the agent's summary (lockdep4j.LockGraphSummary) restores the lock graph when it was read whole
            boolean restored = recording.path("lockGraphRestoredFromSummary").asBoolean();
            assertEquals(!restored, reasons.contains("jfrDataLossBytes="), recording.toString());
            assertEquals(restored, warnings.contains("the lock-order graph is complete from the agent's summary"), warnings);
        } else {
            assertFalse(warnings.contains("JFR lost"), warnings);
            assertFalse(recording.path("incompleteReasons").toString().contains("jfrDataLoss"), recording.toString());
        }
        System.out.println("flood on JDK " + Launcher.javaFeatureVersion() + ": " + chains + " LockChain events, "
                + dataLoss + " jdk.DataLoss events");
    }
}
