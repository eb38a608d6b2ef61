package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery lock-out as a real deadlock: requests hold a rw-lock's read lock and wait forever
 * for recovery, which blocks on the write lock. The waits never end and nothing is signalled; the
 * launcher stops the program with SIGTERM, and the agent reports the waits still in progress at
 * shutdown, so wait-while-holding still names the lock, the waiter and the thread that needs it.
 * The seqcount twin (StampedLock optimistic reads that retry) finishes and is clean.
 */
class RecoveryLockoutEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String W = "io.lockdep4j.tests.workloads.ReleaseScenarios$";

    @TempDir
    Path dir;

    Launcher.Result run(Path rec, String scenario, String... launcherOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString()));
        args.addAll(List.of(launcherOptions));
        args.addAll(List.of("--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.ReleaseScenarios", scenario, dir.resolve("data").toString()));
        return Launcher.lockdep4j(args.toArray(new String[0]));
    }

    static List<JsonNode> waitFindings(Launcher.Result analyze) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : JSON.readTree(analyze.stdout()).path("findings")) {
            if ("wait-while-holding".equals(f.path("rule").asText())) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void deadlockStoppedByTimeoutIsReportedWithWaiterAndLikelySignaller() throws Exception {
        Path rec = dir.resolve("lockout.jfr");
        Launcher.Result run = run(rec, "recovery-rwsem-deadlock", "--timeout", "10");
        assertTrue(run.stderr().contains("stopping it with SIGTERM"), run.stderr());
        assertFalse(run.stdout().contains("done"), "the scenario is a real deadlock: " + run.stdout());
        assertTrue(Files.size(rec) > 0, "recording written after the stop");

        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        List<JsonNode> waits = waitFindings(analyze);
        assertEquals(1, waits.size(), "one finding for the serve() path and stateLock: " + analyze.stdout());
        JsonNode f = waits.get(0);
        assertEquals("error", f.path("severity").asText());
        assertEquals(W + "RwsemState.stateLock", f.path("lock").asText(), f.toString());
        assertEquals("read", f.path("waiterMode").asText());
        assertEquals("write", f.path("signallerMode").asText());
        JsonNode waiter = f.path("waiter");
        assertTrue(waiter.path("inProgress").asBoolean(), f.toString());
        assertTrue(waiter.path("thread").path("name").asText().startsWith("request-"), f.toString());
        assertTrue(waiter.path("stack").toString().contains(W + "RwsemState.serve("),
                "the waiter's own stack, not the shutdown thread's: " + waiter.path("stack"));
        JsonNode signaller = f.path("signaller");
        assertEquals("recovery", signaller.path("thread").path("name").asText(), f.toString());
        assertTrue(signaller.path("inferred").asBoolean(), f.toString());
        assertTrue(signaller.path("needStack").toString().contains(W + "RwsemState.recover("), f.toString());
        assertTrue(f.path("explanation").asText().contains("still waiting when the program stopped"), f.toString());
    }

    @Test
    void seqcountTwinFinishesWithoutWaitWhileHolding() throws Exception {
        Path rec = dir.resolve("seqcount.jfr");
        Launcher.Result run = run(rec, "recovery-seqcount");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("served generation 1"), run.stdout());
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(List.of(), waitFindings(analyze), analyze.stdout());
    }
}
