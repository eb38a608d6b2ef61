package io.lockdep4j.analyzers;

import static io.lockdep4j.analyzers.testing.Jfr.onThread;
import static io.lockdep4j.analyzers.testing.Jfr.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.Severity;
import io.lockdep4j.analyzers.testing.EmitRelease;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release-path rules on synthetic events, hazard next to its safe twin, in ONE recording:
 * JDK 17 loses 16-128 character strings reused by a second recording of the same JVM, and the
 * held-lock strings here are that long.
 */
class ReleaseRulesTest {
    @TempDir
    Path tmp;

    @Test
    void hazardsAreFoundAndTheirTwinsAreNot() throws Exception {
        String lru = "Rr.lru(write)";
        String rw = "Rr.rw";
        Path rec = record(tmp.resolve("rel.jfr"), () -> {
            onThread("nfsd-1", () -> {
                // hazard: force + forcing close in a notifier under lru, inside a SYNC release
                EmitRelease.force("/x/a", lru, "notifier:Ls#onUnlink", 11);
                EmitRelease.close("/x/a", lru, "notifier:Ls#onUnlink", true, 5_000_000, 11, false);
                EmitRelease.release(11, "Rc#put", "SYNC", lru);
                // hazard: the same release outside the notifier: blocking-release (the one above is the notifier's)
                EmitRelease.close("/x/d", lru, null, true, 3_000_000, 13, false);
                EmitRelease.release(13, "Rc#put", "SYNC", lru);
                // twin: a close with no lock, not forced, fast: nothing to say
                EmitRelease.close("/x/b", "", null, false, 0, 0, false);
                // twin: a deferred release whose forcing close runs on the release executor
                EmitRelease.release(12, "Rc#put", "DEFERRED", "");
            });
            onThread("closer", () -> EmitRelease.close("/x/c", "", null, true, 4_000_000, 12, true));
            // recovery lock-out: a reader waits on future 42 that the recovery thread completes under the write lock
            onThread("req-1", () -> EmitRelease.waitHolding(42, rw + "(read)"));
            onThread("recovery", () -> EmitRelease.signal(42, rw + "(write)"));
            // twin: the signaller of future 43 holds no lock
            onThread("req-2", () -> EmitRelease.waitHolding(43, "Rr.seq(read)"));
            onThread("flusher", () -> EmitRelease.signal(43, ""));
            onThread("client", () -> EmitRelease.useAfterRelease("Srv#fileCache", "Srv#shutdown"));
        });
        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(rec));

        List<Finding> notifier = of(r, "fsync-in-notifier");
        assertEquals(1, notifier.size(), r.findings().toString());
        // keyed by the blocking call site: these synthetic events' first application frame is
        // Thread#run on JDK 17, Thread#runWith on JDK 21+ (run calls runWith)
        assertTrue(notifier.get(0).key().matches("fsync-in-notifier:java\\.lang\\.Thread#run(With)?"), notifier.get(0).key());
        assertEquals("Ls#onUnlink", notifier.get(0).details().get("listener"));
        assertEquals(Severity.ERROR, notifier.get(0).severity());
        assertEquals("/x/a", notifier.get(0).details().get("path"));

        List<Finding> blocking = of(r, "blocking-release");
        assertEquals(1, blocking.size(), r.findings().toString());
        assertTrue(blocking.get(0).key().matches("blocking-release:java\\.lang\\.Thread#run(With)?"), blocking.get(0).key());
        assertEquals(1L, blocking.get(0).details().get("closes"), "only the close outside the notifier: " + blocking.get(0));
        assertEquals("Rc#put", blocking.get(0).details().get("releaseMethod"));
        assertNull(blocking.get(0).details().get("mustNotBlockContext"));

        List<Finding> waits = of(r, "wait-while-holding");
        assertEquals(1, waits.size(), r.findings().toString());
        assertEquals(List.of(rw), waits.get(0).locks());
        assertEquals("read", waits.get(0).details().get("waiterMode"));
        assertEquals("write", waits.get(0).details().get("signallerMode"));
        assertEquals("recovery", ((Map<?, ?>) ((Map<?, ?>) waits.get(0).details().get("signaller")).get("thread")).get("name"));

        List<Finding> uar = of(r, "use-after-release");
        assertEquals(1, uar.size());
        assertTrue(uar.get(0).key().startsWith("use-after-release:Srv#fileCache:Srv#shutdown:"), uar.get(0).key());

        // close latency is joined to the release method and mode; the deferred close is DEFERRED
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> latency = (Map<String, Map<String, Object>>) r.rules().get("release-latency").stats().get("closeLatency");
        assertEquals(2L, latency.get("Rc#put SYNC").get("count"));
        assertEquals(1L, latency.get("Rc#put DEFERRED").get("count"));
        assertTrue((Long) latency.get("Rc#put SYNC").get("maxNanos") >= 4_000_000L, latency.toString());
    }

    /**
     * A synchronous release whose force runs in-line under the lock and whose close after it was
     * quick: only the force is on the path, and it is still the release's blocking work (the
     * sample NFS server's local-I/O client, seen once in a few runs as a second finding at the
     * same site). Twin: a deferred release whose force runs on the release executor, holding nothing.
     */
    @Test
    void aForceInsideASynchronousReleaseIsBlockingReleaseEvenWhenItsCloseWasQuick() throws Exception {
        String lru = "Rr.lru(write)";
        Path rec = record(tmp.resolve("force-in-release.jfr"), () -> {
            onThread("localio", () -> {
                EmitRelease.force("/x/e", lru, null, 21);
                EmitRelease.close("/x/e", lru, null, false, 0, 21, false);
                EmitRelease.release(21, "Rc#put", "SYNC", lru);
                EmitRelease.release(22, "Rc#put", "DEFERRED", "");
            });
            onThread("release-executor", () -> {
                EmitRelease.force("/x/f", "", null, 22);
                EmitRelease.close("/x/f", "", null, false, 0, 22, true);
            });
        });
        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(rec));
        List<Finding> release = of(r, "blocking-release");
        assertEquals(1, release.size(), r.findings().toString());
        assertEquals("Rc#put", release.get(0).details().get("releaseMethod"));
        assertEquals(1L, release.get(0).details().get("forces"));
        assertTrue(release.get(0).explanation().contains("forced a file to disk synchronously, in a release (1 time"),
                release.get(0).explanation());
        assertTrue(release.toString().contains("/x/e") && !release.toString().contains("/x/f"), release.toString());
        assertEquals(List.of(), of(r, "blocking-under-lock"), r.findings().toString());
    }

    static List<Finding> of(AnalysisResult r, String rule) {
        return r.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }
}
