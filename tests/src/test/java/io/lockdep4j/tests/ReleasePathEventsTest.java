package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.tests.workloads.ReleaseScenarios;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, agent half: the release-path events a real JVM under the real agent writes, read back
 * with RecordingFile. The workloads are {@link ReleaseScenarios}.
 */
class ReleasePathEventsTest {
    static final String W = "io.lockdep4j.tests.workloads.ReleaseScenarios$";
    static final String CACHE_LOCK = W + "FileCache.cacheLock(write)";

    @TempDir
    Path dir;

    /** Runs a ReleaseScenarios scenario with lockdep4j run and returns this run's lockdep4j events. */
    List<RecordedEvent> run(String scenario, String agentOpts) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString()));
        if (agentOpts != null) {
            args.add("--agent-opts");
            args.add(agentOpts);
        }
        args.addAll(List.of("--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.ReleaseScenarios", scenario, dir.resolve("data").toString()));
        Launcher.Result r = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), "run failed: " + r.stderr());
        assertTrue(r.stdout().contains("scenario " + scenario + " done"), r.stdout());
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            if (e.getEventType().getName().startsWith("lockdep4j.")) {
                out.add(e);
            }
        }
        assertTrue(of(out, "lockdep4j.AgentError").isEmpty(), "agent errors: " + of(out, "lockdep4j.AgentError"));
        return out;
    }

    static List<RecordedEvent> of(List<RecordedEvent> events, String type) {
        return of(events, type, e -> true);
    }

    static List<RecordedEvent> of(List<RecordedEvent> events, String type, Predicate<RecordedEvent> p) {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(type) && p.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    static RecordedEvent only(List<RecordedEvent> events, String type, Predicate<RecordedEvent> p) {
        List<RecordedEvent> found = of(events, type, p);
        assertEquals(1, found.size(), type + ": " + found + "\nall: " + events);
        return found.get(0);
    }

    static Predicate<RecordedEvent> pathEndsWith(String suffix) {
        return e -> e.getString("path") != null && e.getString("path").endsWith(suffix);
    }

    static String thread(RecordedEvent e) {
        return e.getThread() == null ? null : e.getThread().getJavaName();
    }

    @Test
    void listenerLambdaForcesAndClosesUnderTheCacheLock() throws Exception {
        List<RecordedEvent> ev = run("notifier-sync", ReleaseScenarios.RELEASE_OPTS);
        RecordedEvent close = only(ev, "lockdep4j.FileClose", pathEndsWith("sync.dat"));
        assertTrue(close.getBoolean("forced"), close.toString());
        assertTrue(close.getLong("blockingNanos") > 0, close.toString());
        assertEquals(CACHE_LOCK, close.getString("heldLocks"));
        assertEquals(1, close.getInt("heldLockCount"));
        // the listener is a lambda implementing an EventListener: its body is a notifier context
        assertTrue(close.getString("contexts").startsWith("notifier:" + W + "EvictionListener#onEvicted"), close.getString("contexts"));
        assertEquals("main", thread(close));
        assertFalse(close.getBoolean("deferred"));

        RecordedEvent force = only(ev, "lockdep4j.FileForce", pathEndsWith("sync.dat"));
        assertTrue(force.getBoolean("metaData"));
        assertEquals(CACHE_LOCK, force.getString("heldLocks"));

        RecordedEvent release = only(ev, "lockdep4j.Release", e -> true);
        assertEquals("SYNC", release.getString("mode"));
        assertEquals(W + "FileCache#release", release.getString("method"));
        assertEquals(1, release.getInt("closes"));
        assertEquals(CACHE_LOCK, release.getString("heldLocks"));
        assertNotEquals(0L, release.getLong("releaseId"));
        assertEquals(release.getLong("releaseId"), close.getLong("releaseId"));
        assertTrue(of(ev, "lockdep4j.DeferredRun").isEmpty());

        RecordedEvent context = only(ev, "lockdep4j.Context", e -> true);
        assertEquals("notifier", context.getString("name"));
        assertTrue(context.getInt("operations") >= 2, context.toString());

        // the open site is named, and the close points at it
        RecordedEvent open = only(ev, "lockdep4j.FileOpen", pathEndsWith("sync.dat"));
        assertTrue(open.getString("openSite").startsWith("io.lockdep4j.tests.workloads.ReleaseScenarios.notifier:"), open.toString());
        assertEquals(open.getLong("openSiteId"), close.getLong("openSiteId"));
    }

    @Test
    void twinThatHandsTheCloseToAnExecutorIsDeferred() throws Exception {
        List<RecordedEvent> ev = run("notifier-deferred", ReleaseScenarios.RELEASE_OPTS);
        RecordedEvent release = only(ev, "lockdep4j.Release", e -> true);
        assertEquals("DEFERRED", release.getString("mode"));
        assertEquals(0, release.getInt("closes"));
        assertEquals(1, release.getInt("handoffs"));
        assertEquals(CACHE_LOCK, release.getString("heldLocks"));
        assertTrue(release.getString("contexts").startsWith("notifier:"), release.toString());
        long id = release.getLong("releaseId");

        RecordedEvent run = only(ev, "lockdep4j.DeferredRun", e -> true);
        assertEquals(id, run.getLong("releaseId"));
        assertEquals("cache-closer", thread(run));
        assertEquals("main", run.getString("submitter"));
        assertEquals(1, run.getInt("closes"));
        assertTrue(run.getLong("queueLag") >= 0);

        RecordedEvent close = only(ev, "lockdep4j.FileClose", pathEndsWith("deferred.dat"));
        assertEquals("cache-closer", thread(close));
        assertNull(close.getString("contexts"), "no notifier context on the executor thread");
        assertEquals("", close.getString("heldLocks"));
        assertTrue(close.getBoolean("forced"));
        assertTrue(close.getBoolean("deferred"));
        assertEquals(id, close.getLong("releaseId"));
    }

    @Test
    void streamsCloseOnceOnlyWhileOpenAndSyncMarksTheClose() throws Exception {
        List<RecordedEvent> ev = run("streams", null);
        // a used FileOutputStream closes through its channel and back: one event; the second close(): none
        RecordedEvent fos = only(ev, "lockdep4j.FileClose", pathEndsWith("out.dat").and(e -> e.getString("resourceClass").equals("java.io.FileOutputStream")));
        assertTrue(fos.getBoolean("forced"), "getFD().sync() right before close: " + fos);
        assertEquals("io.lockdep4j.tests.workloads.ReleaseScenarios.streamLock(write)", fos.getString("heldLocks"));
        // FileDescriptor.sync has no jdk.FileForce; ours sees it (call sites on 17, the method on 21+)
        RecordedEvent sync = only(ev, "lockdep4j.FileForce", e -> "java.io.FileDescriptor".equals(e.getString("resourceClass")));
        assertEquals(fos.getString("path"), sync.getString("path"));
        only(ev, "lockdep4j.FileClose", e -> "java.io.FileInputStream".equals(e.getString("resourceClass")) && pathEndsWith("out.dat").test(e));
        only(ev, "lockdep4j.FileClose", pathEndsWith("raf.dat"));
        // no close of the recorder's own files, of class files or of /sys pseudo-files
        for (RecordedEvent c : of(ev, "lockdep4j.FileClose")) {
            String p = c.getString("path");
            assertFalse(p != null && (p.endsWith(".jfr") || p.endsWith(".class") || p.startsWith("/sys/")), c.toString());
        }
    }

    @Test
    void waitWhileHoldingALockAndItsSignal() throws Exception {
        List<RecordedEvent> ev = run("wait-holding", null);
        RecordedEvent wait = only(ev, "lockdep4j.WaitWhileHolding", e -> true);
        assertEquals("java.util.concurrent.CountDownLatch#await", wait.getString("waitKind"));
        assertEquals(W + "Journal.journalLock(write)", wait.getString("heldLocks"));
        // the latch's countDown; the flusher's end (Thread#exit) is a Signal of its own, on the thread
        RecordedEvent signal = only(ev, "lockdep4j.Signal", e -> "java.util.concurrent.CountDownLatch".equals(e.getString("objectClass")));
        assertEquals(wait.getInt("objectId"), signal.getInt("objectId"));
        assertEquals("flusher", thread(signal));
    }

    @Test
    void handleStillOpenAtExitIsALeakWithItsOpenSite() throws Exception {
        List<RecordedEvent> ev = run("leak", null);
        RecordedEvent leak = only(ev, "lockdep4j.ResourceLeak", e -> true);
        assertTrue(leak.getString("path").endsWith("leaked.dat"), leak.toString());
        RecordedEvent open = only(ev, "lockdep4j.FileOpen", pathEndsWith("leaked.dat"));
        assertEquals(open.getLong("openSiteId"), leak.getLong("openSiteId"));
        assertNotNull(open.getStackTrace());
        assertTrue(of(ev, "lockdep4j.ResourceLeak", pathEndsWith("closed.dat")).isEmpty());
    }

    @Test
    void refcountUnderflow() throws Exception {
        List<RecordedEvent> ev = run("refcount", "refcountClasses=" + W + "Handle#get:put:1");
        RecordedEvent u = only(ev, "lockdep4j.RefcountUnderflow", e -> true);
        assertEquals(W + "Handle#put", u.getString("method"));
        assertEquals(-1, u.getLong("count"));
    }

    @Test
    void useAfterShutdown() throws Exception {
        List<RecordedEvent> ev = run("use-after-shutdown", "shutdownMethods=" + W + "Server#shutdown,useMethods=" + W + "Server#*");
        RecordedEvent u = only(ev, "lockdep4j.UseAfterRelease", e -> true);
        assertEquals(W + "Server#status", u.getString("method"));
        assertEquals(W + "Server#shutdown", u.getString("shutdownMethod"));
    }
}
