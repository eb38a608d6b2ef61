package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3/4 end to end on the sample NFSv3 server: it runs under the real agent with the agent
 * options of samples/lockdep4j-agent.properties (joined as samples/demo.sh joins them), drives its
 * own NFS load, and the analyzer must report each hazard switch's finding; the default run (every
 * safe twin) must report nothing. One run with --hazard=all and one default run keep it short.
 */
class NfsHazardsEndToEndTest {
    static final String NFS = "io.lockdep4j.samples.nfs.";

    @TempDir
    Path dir;

    /** The properties' non-comment lines joined with ',': what demo.sh passes as --agent-opts. */
    static String agentOpts() throws Exception {
        return Files.readAllLines(Launcher.ROOT.resolve("samples/lockdep4j-agent.properties")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).collect(Collectors.joining(","));
    }

    JsonNode runServer(String name, String... serverArgs) throws Exception {
        Path rec = dir.resolve(name + ".jfr");
        String cp = Launcher.ROOT.resolve("samples/target/lockdep4j-samples.jar") + ":" + Launcher.ROOT.resolve("samples/target/lib") + "/*";
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString(), "--timeout", "120", "--agent-opts", agentOpts(),
                "--", Launcher.JAVA, "-cp", cp, NFS + "NfsServerMain", "--load", "4"));
        args.addAll(List.of(serverArgs));
        Launcher.Result run = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(0, run.exitCode(), "server run failed: " + run.stderr());
        Path json = dir.resolve(name + ".json");
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json", "-o", json.toString());
        assertTrue(analyze.exitCode() <= 1, "analyze failed: " + analyze.stderr());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertTrue(root.path("recordings").get(0).path("agentErrors").isEmpty(), root.path("recordings").toPrettyString());
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

    static JsonNode one(JsonNode root, String rule, String keyPart) {
        List<JsonNode> fs = findings(root, rule).stream().filter(f -> f.path("key").asText().contains(keyPart)).toList();
        assertTrue(!fs.isEmpty(), "no " + rule + " finding with key containing " + keyPart + "; findings: "
                + root.path("findings").findValuesAsText("key"));
        return fs.get(0);
    }

    @Test
    void everyHazardSwitchHasItsFindingAndTheSafeTwinsHaveNone() throws Exception {
        JsonNode all = runServer("all", "--hazard=all");

        // fsync-in-notifier: UnlinkListener closes+forces in the callback under namespaceLock
        JsonNode notifier = one(all, "fsync-in-notifier", "NfsFile#closeAndForce");
        assertTrue(notifier.path("listeners").toString().contains("NfsFileCache$UnlinkListener#on"), notifier.toPrettyString());
        assertEquals("error", notifier.path("severity").asText());
        assertTrue(notifier.path("heldLocks").toString().contains("NfsExport.namespaceLock"), notifier.toPrettyString());

        // sync-release: the final put closes and forces under lruLock; in the RPC must-not-block context too
        // one finding per blocking call site: the put path is one path of it
        JsonNode put = one(all, "blocking-release", "NfsFile#closeAndForce");
        assertTrue(put.path("paths").findValuesAsText("releaseMethod").contains(NFS + "cache.NfsFileCache#put"), put.toPrettyString());
        assertTrue(put.path("heldLocks").toString().contains("NfsFileCache.lruLock"), put.toPrettyString());
        assertEquals("defer", put.path("recommendation").asText());
        // the RPC dispatch's forcing close is in a notifier: reported once, by fsync-in-notifier
        assertTrue(notifier.path("paths").findValuesAsText("contexts").toString().contains("Nfs3Dispatcher#dispatchOncRpcCall")
                || notifier.path("paths").toString().contains(NFS + "rpc.Nfs3Dispatcher#dispatchOncRpcCall"), notifier.toPrettyString());
        // at most one finding per hazard switch: one bug is one finding
        assertTrue(all.path("findings").size() <= 6, all.path("findings").findValuesAsText("key").toString());

        // recovery-rwsem: requests hold the read lock and wait for the recovery thread that needs the write lock
        JsonNode wait = one(all, "wait-while-holding", "ServerStateRecovery.recoveryRwLock");
        assertEquals("read", wait.path("waiterMode").asText());
        assertEquals("write", wait.path("signallerMode").asText());
        assertEquals("nfsd-state-recovery", wait.path("signaller").path("thread").path("name").asText());

        // localio-use-after-shutdown
        JsonNode use = one(all, "use-after-release", "LocalIoClient#doLocalIo");
        assertTrue(use.path("uses").toString().contains(NFS + "cache.NfsFileCache#acquire"), use.toPrettyString());
        // lock-inversion
        one(all, "lock-order-cycle", "NfsFileCache.lruLock");
        // leak: probeEof never closes its channel
        JsonNode leak = one(all, "resource-leak", "Nfs3Dispatcher.probeEof");
        assertTrue(leak.path("handles").asLong() > 0);
        assertTrue(leak.path("openStack").toString().contains("Nfs3Dispatcher.probeEof"), leak.toPrettyString());

        // close latency per path and mode in the summary
        JsonNode latency = all.path("summary").path("rules").path("release-latency").path("closeLatency");
        assertTrue(latency.path(NFS + "cache.NfsFileCache#put SYNC").path("count").asLong() > 0, latency.toPrettyString());

        JsonNode safe = runServer("safe");
        assertEquals(0, safe.path("findings").size(), "safe twins: " + safe.path("findings").findValuesAsText("key"));
        // the safe twins still close and force files (deferred, or with no lock held): they were seen and judged fine
        assertTrue(safe.path("summary").path("rules").path("release-latency").path("forces").asLong() > 0, safe.toPrettyString());
    }
}
