package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 4, end to end: a lock-order cycle one of whose edges was only ever taken as the
 * acquired instance's first lock (a transaction locked by the method that created it, before
 * publishing it) is a warning with that evidence, not an error with "*** DEADLOCK ***"; the same
 * cycle on a published, shared instance is an error, also when the first-lock path is later taken
 * on a shared instance (InstanceScenarios).
 */
class InstanceEvidenceEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.InstanceScenarios";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Report(JsonNode cycle, String text) {}

    /** The findings of a scenario's recording that blame a blocking call on the locks it held. */
    java.util.List<JsonNode> blockingHoldingLocks(String scenario) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                W, scenario, dir.resolve("data").toString());
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        Launcher.Result json = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        JSON.readTree(json.stdout()).path("findings").forEach(f -> {
            if (java.util.Set.of("blocking-under-lock", "blocking-release").contains(f.path("rule").asText())) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void anFsyncUnderATransactionsOwnMonitorThatNoOtherThreadLocksIsNotReported() throws Exception {
        assertEquals(java.util.List.of(), blockingHoldingLocks("fsync-under-own-txn"));
    }

    /** Twins: the same transaction locked by another thread after the fsync, or before it. */
    @Test
    void anFsyncUnderATransactionAnotherThreadLocksAfterOrBeforeIsReported() throws Exception {
        for (String scenario : java.util.List.of("fsync-under-txn-locked-later", "fsync-under-txn-locked-before")) {
            java.util.List<JsonNode> found = blockingHoldingLocks(scenario);
            assertEquals(1, found.size(), scenario + ": " + found);
            assertEquals(java.util.List.of(W + "$Txn"), JSON.convertValue(found.get(0).path("locks"), java.util.List.class), scenario);
        }
    }

    Report analyze(String scenario) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                W, scenario);
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        assertTrue(run.stdout().contains("scenario " + scenario + " done"), run.stdout());
        Launcher.Result json = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        JsonNode cycle = null;
        for (JsonNode f : JSON.readTree(json.stdout()).path("findings")) {
            if ("lock-order-cycle".equals(f.path("rule").asText())) {
                assertEquals(null, cycle, "one cycle: " + json.stdout());
                cycle = f;
            }
        }
        assertTrue(cycle != null, json.stdout());
        Launcher.Result text = Launcher.lockdep4j("analyze", rec.toString());
        return new Report(cycle, text.stdout());
    }

    @Test
    void aCycleThroughATransactionLockedBeforeItWasPublishedIsAWarningThatSaysSo() throws Exception {
        Report r = analyze("fresh-then-published");
        assertEquals("warning", r.cycle().path("severity").asText(), r.cycle().toPrettyString());
        assertEquals("[\"" + W + ".registryLock -> " + W + "$Txn\"]", r.cycle().path("unpublishedOnlyEdges").toString(),
                r.cycle().toPrettyString());
        assertTrue(r.text().contains("only on objects the locking method had just created, that no other thread had locked"), r.text());
        assertTrue(r.cycle().path("title").asText().endsWith("(one edge only on unpublished objects)"), r.cycle().toPrettyString());
        assertFalse(r.text().contains("*** DEADLOCK ***"), r.text());
    }

    /**
     * Twin: the closer locks the transaction the committer already locked: a real inversion. (main
     * created it, and the committer's lock of the registry was that lock's first: a first lock alone
     * is no evidence.)
     */
    @Test
    void theSameCycleOnAPublishedTransactionIsAnError() throws Exception {
        Report r = analyze("published-then-locked");
        assertEquals("error", r.cycle().path("severity").asText(), r.cycle().toPrettyString());
        assertTrue(r.cycle().path("unpublishedOnlyEdges").isMissingNode(), r.cycle().toPrettyString());
        assertTrue(r.text().contains("*** DEADLOCK ***"), r.text());
    }

    /** The creator published the transaction and another thread locked it before the creator did. */
    @Test
    void aTransactionCreatedHereButLockedByAnotherThreadFirstIsPublished() throws Exception {
        Report r = analyze("created-here-locked-elsewhere-first");
        assertEquals("error", r.cycle().path("severity").asText(), r.cycle().toPrettyString());
        assertTrue(r.text().contains("*** DEADLOCK ***"), r.text());
    }

    /** The unpublished path taken again later on a shared transaction: the agent records the edge again. */
    @Test
    void aFirstLockPathLaterTakenOnASharedInstanceMakesTheCycleAnError() throws Exception {
        Report r = analyze("fresh-then-later-shared");
        assertEquals("error", r.cycle().path("severity").asText(), r.cycle().toPrettyString());
        assertTrue(r.text().contains("*** DEADLOCK ***"), r.text());
        assertTrue(r.text().contains("closeFirstPublished"), "the edge shows the path that took a shared instance: " + r.text());
    }
}
