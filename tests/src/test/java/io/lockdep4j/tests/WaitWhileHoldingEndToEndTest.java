package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 14 and 21.3 end to end: waits while holding locks that the signaller needs, for monitors
 * (Object.wait/notifyAll at their call sites), joins (the joined thread's end is the signal) and
 * a pool's termination (its workers' ends), each from a run that does not hang, each with a safe
 * twin that stays clean (WaitScenarios).
 */
class WaitWhileHoldingEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String W = "io.lockdep4j.tests.workloads.WaitScenarios$";
    static final String RULE = "wait-while-holding";

    @TempDir
    Path dir;

    Path record(String scenario) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result r = Launcher.lockdep4j("run", "-o", rec.toString(), "--timeout", "120", "--",
                Launcher.JAVA, "-cp", Launcher.TEST_CLASSES, "io.lockdep4j.tests.workloads.WaitScenarios", scenario);
        assertEquals(0, r.exitCode(), "run failed: " + r.stderr());
        assertTrue(r.stdout().contains("scenario " + scenario + " done"), "the run must finish, not hang: " + r.stdout());
        return rec;
    }

    static JsonNode analyze(Path... recs) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json"));
        for (Path p : recs) {
            args.add(p.toString());
        }
        Launcher.Result a = Launcher.lockdep4j(args.toArray(new String[0]));
        assertTrue(a.exitCode() == 0 || a.exitCode() == 1, a.stderr());
        return JSON.readTree(a.stdout());
    }

    static List<JsonNode> waits(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        root.path("findings").forEach(f -> {
            if (RULE.equals(f.path("rule").asText())) {
                out.add(f);
            }
        });
        return out;
    }

    static JsonNode one(JsonNode root, String lockContains) {
        List<JsonNode> all = waits(root);
        assertEquals(1, all.size(), root.path("findings").toPrettyString());
        JsonNode f = all.get(0);
        assertTrue(f.path("lock").asText().contains(lockContains), f.toPrettyString());
        return f;
    }

    void clean(String scenario) throws Exception {
        JsonNode root = analyze(record(scenario));
        assertEquals(List.of(), waits(root), root.path("findings").toPrettyString());
    }

    @Test
    void appenderThatWaitsOnItsFullBufferUnderTheLoggerWhoseDispatcherLogsBeforeItNotifies() throws Exception {
        JsonNode root = analyze(record("appender-holding"));
        JsonNode f = one(root, W + "Logger");
        assertEquals("instance", f.path("evidence").asText(), f.toPrettyString());
        assertEquals("java.lang.Object#wait", f.path("waiter").path("waitKind").asText());
        assertEquals(W + "BoundedBuffer", f.path("waiter").path("objectClass").asText());
        assertEquals("app-caller", f.path("waiter").path("thread").path("name").asText());
        assertTrue(f.path("waiter").path("stack").toString().contains(W + "Logger.log("), f.toPrettyString());
        // the monitor that wait() gives up is not held during the wait
        assertEquals(1, f.path("waiter").path("heldLocks").size(), f.toPrettyString());
        JsonNode s = f.path("signaller");
        assertEquals("appender-dispatcher", s.path("thread").path("name").asText());
        assertEquals("java.lang.Object#notifyAll", s.path("signalKind").asText());
        assertTrue(s.path("takenBefore").toString().contains(W + "Logger"), s.toPrettyString());
        assertTrue(s.path("signalStack").toString().contains(W + "BoundedBuffer.take("), s.toPrettyString());
        String text = f.path("explanation").asText();
        assertTrue(text.contains("Fix: release " + f.path("lock").asText() + " before wait()"), text);
        assertTrue(!text.contains("seqcount") && !text.contains("Each waits for the other"), text);
        assertTrue(text.contains("hangs with them"), "an unbounded wait: " + text);
    }

    @Test
    void appenderTwins() throws Exception {
        clean("appender-wait-after-release");
        clean("appender-dispatcher-without-logger");
    }

    @Test
    void commitLockHeldAcrossWaitOnTheSchedulerWhoseWorkerTakesItBeforeNotifying() throws Exception {
        Path rec = record("commit-holding");
        JsonNode root = analyze(rec);
        JsonNode f = one(root, "commitLock");
        assertEquals(W + "MergeScheduler", f.path("waiter").path("objectClass").asText());
        assertEquals("merge-worker", f.path("signaller").path("thread").path("name").asText());
        assertEquals("took and released it before signalling", f.path("signaller").path("needs").asText());
        // the same recording analyzed twice gives the same findings, word for word
        assertEquals(root.path("findings"), analyze(rec).path("findings"));
        clean("commit-wait-after-release");
    }

    @Test
    void waitOnAJdkCollectionsMonitorWhileHoldingTheRegistryLock() throws Exception {
        JsonNode f = one(analyze(record("collection-holding")), "registryLock");
        assertEquals("java.util.Vector", f.path("waiter").path("objectClass").asText());
        assertEquals("registry-producer", f.path("signaller").path("thread").path("name").asText());
        clean("collection-notify-without-lock");
    }

    @Test
    void aWaiterWhoseOnlySignallerIsItselfIsClean() throws Exception {
        JsonNode root = analyze(record("self-signal"));
        assertEquals(List.of(), waits(root), root.path("findings").toPrettyString());
        assertEquals(1, root.path("summary").path("rules").path(RULE).path("waitsWithoutSignal").asLong(), root.path("summary").toPrettyString());
    }

    @Test
    void stopThatJoinsTheWorkerWhileHoldingTheLifecycleLockTheWorkerChecks() throws Exception {
        JsonNode f = one(analyze(record("join-holding")), "lifecycle");
        assertEquals("java.lang.Thread#join", f.path("waiter").path("waitKind").asText());
        assertTrue(f.path("waiter").path("stack").toString().contains(W + "Server.stopHolding("), f.toPrettyString());
        assertEquals("server-worker", f.path("signaller").path("thread").path("name").asText());
        assertEquals("took it before it ended", f.path("signaller").path("needs").asText());
        assertTrue(f.path("signaller").path("needStack").toString().contains(W + "Server.isRunning("), f.toPrettyString());
        assertTrue(f.path("explanation").asText().contains("Fix: join after releasing"), f.toPrettyString());
        // a monitor has one mode: the text never says "(write)" of it (the JSON keeps the agent's held-lock strings)
        assertFalse(f.path("explanation").asText().contains("(write)"), f.path("explanation").asText());
        clean("join-after-release");
    }

    @Test
    void whereTheSignallerTookTheLockIsEmptyWhenItsOwnAcquisitionWasNotRecordedNeverAnotherStack() throws Exception {
        JsonNode f = one(analyze(record("join-holding-others-checked-first")), "lifecycle");
        assertEquals("server-worker", f.path("signaller").path("thread").path("name").asText());
        assertEquals("took it before it ended", f.path("signaller").path("needs").asText());
        assertEquals(0, f.path("signaller").path("needStack").size(), f.toPrettyString());
        String text = f.path("explanation").asText();
        assertTrue(text.contains("where it took it was not recorded; this is where it signalled"), text);
    }

    @Test
    void evictionTimerCancelAwaitsTerminationForItsBoundWhileHoldingTheClassItsTaskLocks() throws Exception {
        JsonNode f = one(analyze(record("await-termination-holding")), W + "EvictionTimer.class");
        assertEquals("java.util.concurrent.ThreadPoolExecutor#awaitTermination", f.path("waiter").path("waitKind").asText());
        assertEquals(10_000_000_000L, f.path("waiter").path("timeoutNanos").asLong());
        assertEquals("evictor", f.path("signaller").path("thread").path("name").asText());
        String text = f.path("explanation").asText();
        assertTrue(text.contains("stalls every thread that needs " + W + "EvictionTimer.class for up to 10 s"), text);
        assertTrue(!text.contains("forever") && !text.contains("Each waits for the other"), text);
        assertTrue(text.contains("Fix: await termination after releasing"), text);
    }
}
