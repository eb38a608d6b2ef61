package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Core": real JVMs, the real agent jar, the real launcher; the analyzer must name the right
 * lock classes, and stay quiet where no deadlock is possible.
 */
class LockOrderEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.Scenarios$";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs the scenario under the agent, then analyzes it as JSON. */
    JsonNode runAndAnalyze(String scenario, int expectedExit) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.runScenario(rec, scenario);
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        assertTrue(run.stdout().contains("scenario " + scenario + " done"), run.stdout());
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(expectedExit, analyze.exitCode(), "analyze exit code; stderr: " + analyze.stderr() + "\nstdout: " + analyze.stdout());
        return JSON.readTree(analyze.stdout());
    }

    static List<JsonNode> cycles(JsonNode report) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            if ("lock-order-cycle".equals(f.path("rule").asText())) {
                out.add(f);
            }
        }
        return out;
    }

    static Set<String> locks(JsonNode finding) {
        Set<String> s = new TreeSet<>();
        finding.path("locks").forEach(n -> s.add(n.asText()));
        return s;
    }

    @Test
    void reentrantLockAgainstMonitorKeptInAnotherClass() throws Exception {
        JsonNode report = runAndAnalyze("inversion-reentrant", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "ExportTable.exportLock", W + "ClientTable.clientsLock"), locks(cycles.get(0)));
        assertFalse(cycles.get(0).path("singleThread").asBoolean());
        // both stacks of every edge, pointing at the workload's own code
        for (JsonNode edge : cycles.get(0).path("edges")) {
            assertTrue(edge.path("acquireStack").toString().contains("Scenarios"), edge.toPrettyString());
            assertTrue(edge.path("heldStack").toString().contains("Scenarios"), edge.toPrettyString());
        }
    }

    @Test
    void safeTwinWithOneOrderIsClean() throws Exception {
        JsonNode report = runAndAnalyze("consistent-order", 0);
        assertEquals(0, cycles(report).size(), report.toPrettyString());
    }

    @Test
    void readWriteLockWriteHalfAgainstReentrantLock() throws Exception {
        JsonNode report = runAndAnalyze("inversion-rwlock", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "StateTable.stateLock", W + "StateTable.seqLock"), locks(cycles.get(0)));
    }

    @Test
    void synchronizedMethodsCallingEachOther() throws Exception {
        JsonNode report = runAndAnalyze("inversion-synchronized", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "Inode", W + "Dentry"), locks(cycles.get(0)));
        // issue 16.6: a synchronized method's lock is located at the method's declaration (the advice runs
        // inside it: its own frame, at its first line, is the top of the stack), not at the caller's line
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/lockdep4j/tests/workloads/Scenarios.java"));
        java.util.Map<String, String> entry = java.util.Map.of("Inode", "setAttr", "Dentry", "rename");
        assertEquals(2, cycles.get(0).path("edges").size(), cycles.get(0).toPrettyString());
        for (JsonNode edge : cycles.get(0).path("edges")) {
            String from = edge.path("from").asText().substring(W.length());
            String to = edge.path("to").asText().substring(W.length());
            assertEquals(declaredAt(source, to, "touch"), edge.path("acquireStack").get(0).asText(), edge.toPrettyString());
            assertEquals(declaredAt(source, from, entry.get(from)), edge.path("heldStack").get(0).asText(), edge.toPrettyString());
        }
    }

    /** The frame of {@code Scenarios$type.method} at the line that declares it (these methods are one-liners). */
    static String declaredAt(List<String> source, String type, String method) {
        int inType = -1;
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains("class " + type + " ")) {
                inType = i;
            } else if (inType >= 0 && source.get(i).contains("synchronized void " + method + "()")) {
                return W + type + "." + method + "(Scenarios.java:" + (i + 1) + ")";
            }
        }
        throw new AssertionError("no synchronized " + type + "." + method + " in Scenarios.java");
    }

    /**
     * JDK-typed monitors reached through a local or a getter are one lock class per locking
     * application class, not one class for every TreeMap in the JVM: two caches that each lock their
     * own TreeMaps in opposite orders against a shared lock cannot deadlock (no finding), while one
     * TreeMap locked in both orders inside one class still can (one finding).
     */
    @Test
    void jdkTypedMonitorsInLocalsAreNamedByTheClassThatLocksThem() throws Exception {
        JsonNode report = runAndAnalyze("jdk-monitors-in-locals", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of("java.util.TreeMap locked in " + W + "Directory", W + "Directory.renameLock"), locks(cycles.get(0)));
    }

    @Test
    void synchronizedJdkMethodsOfHashtable() throws Exception {
        JsonNode report = runAndAnalyze("hashtable", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "Registry.byName", W + "Registry.byId"), locks(cycles.get(0)));
    }

    @Test
    void readOnlyOppositeOrdersWithoutWritersAreNotReported() throws Exception {
        JsonNode report = runAndAnalyze("read-only", 0);
        assertEquals(0, cycles(report).size(), report.toPrettyString());
    }

    @Test
    void readOnlyOppositeOrdersBecomeRealWhenSomeoneWriteLocks() throws Exception {
        JsonNode report = runAndAnalyze("read-with-writer", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "Caches.attrLock", W + "Caches.nameLock"), locks(cycles.get(0)));
        assertTrue(cycles.get(0).path("writers").toString().contains("cache-writer"),
                "the finding names the writer that makes the read-read cycle real: " + cycles.get(0).toPrettyString());
    }

    @Test
    void cycleGuardedByACommonGateIsNotReported() throws Exception {
        JsonNode report = runAndAnalyze("gated", 0);
        assertEquals(0, cycles(report).size(), report.toPrettyString());
    }

    @Test
    void singleThreadCycleIsMarked() throws Exception {
        JsonNode report = runAndAnalyze("single-thread", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "Journal.journalLock", W + "Journal.commitLock"), locks(cycles.get(0)));
        assertTrue(cycles.get(0).path("singleThread").asBoolean(), cycles.get(0).toPrettyString());
    }

    @Test
    void realDeadlockStoppedByTimeoutStillLeavesRecordingAndCycle() throws Exception {
        Path rec = dir.resolve("deadlock.jfr");
        Launcher.Result run = Launcher.runScenario(rec, "deadlock", "--timeout", "10");
        assertTrue(run.stderr().contains("stopping it with SIGTERM"), run.stderr());
        assertTrue(Files.size(rec) > 0, "recording written after the stop");
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(1, analyze.exitCode(), analyze.stderr());
        List<JsonNode> cycles = cycles(JSON.readTree(analyze.stdout()));
        assertEquals(1, cycles.size(), analyze.stdout());
        assertEquals(Set.of(W + "Accounts.debitLock", W + "Accounts.creditLock"), locks(cycles.get(0)));
        // and the text report reads like lockdep's
        Launcher.Result text = Launcher.lockdep4j("analyze", rec.toString());
        assertEquals(1, text.exitCode());
        assertTrue(text.stdout().contains("possible circular locking dependency"), text.stdout());
        assertTrue(text.stdout().contains("Accounts.debitLock") && text.stdout().contains("Accounts.creditLock"), text.stdout());
    }

    @Test
    void millionAcquisitionsOnKnownEdgesEmitTensOfEventsNotMillions() throws Exception {
        Path rec = dir.resolve("hot.jfr");
        Launcher.Result run = Launcher.runScenario(rec, "hot-loop");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("counter 1000000"), "the host computed the right result: " + run.stdout());
        long lockEvents = 0;
        Set<String> edges = new TreeSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            String type = e.getEventType().getName();
            if (type.startsWith("lockdep4j.Lock")) {
                lockEvents++;
            }
            if (type.equals("lockdep4j.LockOrderEdge")) {
                edges.add(e.getString("heldLock") + "->" + e.getString("acquiredLock"));
            }
        }
        assertTrue(lockEvents >= 3 && lockEvents < 100, "lock events: " + lockEvents);
        assertTrue(edges.contains(W + "HotPath.outerLock->" + W + "HotPath.innerLock"), edges.toString());
        assertTrue(edges.contains(W + "HotPath.innerLock->" + W + "HotPath.tableLock"), edges.toString());
    }

    @Test
    void inversionAcrossVirtualThreads() throws Exception {
        assumeTrue(Launcher.javaFeatureVersion() >= 21, "virtual threads need JDK 21+");
        JsonNode report = runAndAnalyze("virtual-threads", 1);
        List<JsonNode> cycles = cycles(report);
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "Mounts.mountLock", W + "Mounts.superblockLock"), locks(cycles.get(0)));
        // issue 16.5: the text collapses the carrier's frames to one line and keeps the application's
        String text = Launcher.lockdep4j("analyze", dir.resolve("virtual-threads.jfr").toString()).stdout();
        assertTrue(text.contains("virtual-thread carrier"), text);
        assertFalse(text.contains("jdk.internal.vm.Continuation"), text);
        assertTrue(text.contains("Scenarios.lambda$virtualThreads"), text);
    }
}
