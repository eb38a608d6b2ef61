package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockdep4j.tests.workloads.ReleaseScenarios;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, analyzer half, end to end: each ReleaseScenarios hazard runs in a real JVM under the
 * real agent, `lockdep4j analyze --format json` must report it, and its safe twin must not.
 */
class ReleaseRulesEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.ReleaseScenarios$";

    @TempDir
    Path dir;

    JsonNode analyze(String scenario, String agentOpts) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString()));
        if (agentOpts != null) {
            args.addAll(List.of("--agent-opts", agentOpts));
        }
        args.addAll(List.of("--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES, "io.lockdep4j.tests.workloads.ReleaseScenarios",
                scenario, dir.resolve("data").toString()));
        Launcher.Result r = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), "run failed: " + r.stderr());
        Launcher.Result a = Launcher.lockdep4j("analyze", "--format", "json", rec.toString());
        JsonNode root = new ObjectMapper().readTree(a.stdout());
        assertEquals(root.path("findings").isEmpty() ? 0 : 1, a.exitCode(), a.stderr());
        return root;
    }

    static List<JsonNode> findings(JsonNode root, String rule) {
        List<JsonNode> out = new ArrayList<>();
        root.path("findings").forEach(f -> {
            if (f.path("rule").asText().equals(rule)) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void listenerThatForcesTheFinalCloseUnderTheCacheLockVersusOneThatHandsOff() throws Exception {
        JsonNode sync = analyze("notifier-sync", ReleaseScenarios.RELEASE_OPTS);
        JsonNode notifier = findings(sync, "fsync-in-notifier").get(0);
        // one bug, one finding: keyed by the blocking call site; the release it ran in is one of its paths,
        // not a second (blocking-release) finding
        assertEquals("fsync-in-notifier:" + W + "FileCache#finalClose", notifier.path("key").asText());
        assertEquals(W + "EvictionListener#onEvicted", notifier.path("listener").asText().replaceAll(" \\(.*", ""));
        assertEquals("error", notifier.path("severity").asText());
        assertTrue(notifier.path("path").asText().endsWith("sync.dat"));
        assertTrue(notifier.path("explanation").asText().contains("ReleaseScenarios$FileCache.finalClose("), notifier.toPrettyString());
        assertEquals(W + "FileCache#release", notifier.path("paths").get(0).path("releaseMethod").asText(), notifier.toPrettyString());
        assertEquals(List.of(W + "FileCache.cacheLock(write)"), strings(notifier.path("heldLocks")));
        assertTrue(notifier.path("maxBlockingNanos").asLong() > 0);
        assertEquals(1, sync.path("findings").size(), sync.path("findings").findValuesAsText("key").toString());
        JsonNode latency = sync.path("summary").path("rules").path("release-latency").path("closeLatency");
        assertEquals(1, latency.path(W + "FileCache#release SYNC").path("count").asLong(), latency.toPrettyString());

        JsonNode deferred = analyze("notifier-deferred", ReleaseScenarios.RELEASE_OPTS);
        assertEquals(0, deferred.path("findings").size(), deferred.path("findings").toPrettyString());
        JsonNode lat = deferred.path("summary").path("rules").path("release-latency");
        assertEquals(1, lat.path("closeLatency").path(W + "FileCache#release DEFERRED").path("count").asLong(), lat.toPrettyString());
        assertEquals(1, lat.path("deferredLag").path(W + "FileCache#release").path("count").asLong(), lat.toPrettyString());
        // the hand-off takes the executor's lock under cacheLock: a closure edge, summary only (no cycle)
        JsonNode closure = deferred.path("summary").path("rules").path("release-lock-closure").path("releases").path(W + "FileCache#release");
        assertEquals(List.of(W + "FileCache.cacheLock"), strings(closure.path("callerHeldLocks")), closure.toPrettyString());
        assertTrue(closure.path("addedEdges").size() > 0, closure.toPrettyString());
    }

    @Test
    void leakRefcountUnderflowAndUseAfterShutdownAreReportedBySite() throws Exception {
        JsonNode leak = analyze("leak", null);
        List<JsonNode> leaks = findings(leak, "resource-leak");
        assertEquals(1, leaks.size(), leak.path("findings").toPrettyString());
        assertEquals("resource-leak:io.lockdep4j.tests.workloads.ReleaseScenarios.leak:java.io.FileOutputStream", leaks.get(0).path("key").asText());
        assertTrue(leaks.get(0).path("examplePath").asText().endsWith("leaked.dat"));
        assertTrue(leaks.get(0).path("openStack").get(0).asText().startsWith("io.lockdep4j.tests.workloads.ReleaseScenarios.leak("));
        // two shutdown hooks report leaks (the agent's and JFR's, before its dump); whichever runs
        // second waits for the first, or the dump could miss what was still being reported
        JsonNode many = findings(analyze("many-leaks", null), "resource-leak").get(0);
        assertEquals(ReleaseScenarios.MANY_LEAKS, many.path("handles").asLong(), many.toPrettyString());
        // issue 16.6: a file opened through a RandomAccessFile subclass is tracked; its closed twin is not a leak
        List<JsonNode> sub = findings(analyze("leak-subclass", null), "resource-leak");
        assertEquals(1, sub.size(), sub.toString());
        assertEquals(1, sub.get(0).path("handles").asLong(), sub.get(0).toPrettyString());
        assertEquals(W + "LogFile", sub.get(0).path("resourceClass").asText(), sub.get(0).toPrettyString());
        assertTrue(sub.get(0).path("examplePath").asText().endsWith("log-1.dat"), sub.get(0).toPrettyString());
        assertTrue(sub.get(0).path("openStack").toString().contains("ReleaseScenarios.leakSubclass("), sub.get(0).toPrettyString());

        JsonNode ref = analyze("refcount", "refcountClasses=" + W + "Handle#get:put:1");
        JsonNode under = findings(ref, "refcount-underflow").get(0);
        assertEquals("refcount-underflow:" + W + "Handle#put:io.lockdep4j.tests.workloads.ReleaseScenarios#refcount", under.path("key").asText());
        assertEquals(-1, under.path("count").asLong());

        JsonNode uar = analyze("use-after-shutdown", "shutdownMethods=" + W + "Server#shutdown,useMethods=" + W + "Server#*");
        JsonNode use = findings(uar, "use-after-release").get(0);
        assertEquals(W + "Server#status", use.path("method").asText());
        assertEquals(W + "Server#shutdown", use.path("shutdownMethod").asText());
        assertEquals("use-after-release:" + W + "Server#status:" + W + "Server#shutdown:io.lockdep4j.tests.workloads.ReleaseScenarios#useAfterShutdown", use.path("key").asText());
        assertEquals(1, uar.path("findings").size(), uar.path("findings").toPrettyString());
    }

    /**
     * Issue 16.6: Files.newOutputStream / newInputStream return JDK-internal wrappers over a channel
     * (whose close the agent sees): a leaked one is a leak at its application call site, with the
     * path and the opener; a closed twin (and a closed Stream of Files.lines) is not.
     */
    @Test
    void filesOpenedThroughJavaNioFileFilesAreTracked() throws Exception {
        JsonNode files = analyze("leak-files", null);
        List<JsonNode> viaFiles = findings(files, "resource-leak");
        assertEquals(2, viaFiles.size(), files.path("findings").toPrettyString());
        for (String[] opener : new String[][] {{"leakThroughFilesOut", "files-out-1.dat"}, {"leakThroughFilesIn", "files-in.dat"}}) {
            JsonNode f = viaFiles.stream().filter(n -> n.path("key").asText().contains("." + opener[0] + ":")).findFirst()
                    .orElseThrow(() -> new AssertionError(opener[0] + " not reported: " + viaFiles));
            assertEquals(1, f.path("handles").asLong(), "the closed twin is not a leak: " + f.toPrettyString());
            assertTrue(f.path("examplePath").asText().endsWith(opener[1]), f.toPrettyString());
            assertTrue(f.path("openStack").get(0).asText().startsWith("io.lockdep4j.tests.workloads.ReleaseScenarios." + opener[0] + "("),
                    f.toPrettyString());
        }
    }

    @Test
    void waitOnALatchWhoseSignallerNeedsNoLockIsNotAFinding() throws Exception {
        // the flusher counts down without the journal lock: a wait while holding, but no lock-out
        JsonNode root = analyze("wait-holding", null);
        assertTrue(findings(root, "wait-while-holding").isEmpty(), root.path("findings").toPrettyString());
        assertEquals(0, root.path("summary").path("rules").path("wait-while-holding").path("waitsWithoutSignal").asLong());
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
