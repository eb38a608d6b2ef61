package io.lockdep4j.samples.nfs;

import static org.junit.jupiter.api.Assertions.*;

import io.lockdep4j.samples.nfs.cache.NfsFile;
import io.lockdep4j.samples.nfs.cache.NfsFileCache;
import io.lockdep4j.samples.nfs.load.Nfs3Client;
import io.lockdep4j.samples.nfs.notify.FileChangeNotifier;
import io.lockdep4j.samples.nfs.recovery.ServerStateRecovery;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each hazard switch takes its code path (and the safe twin does not), observed without the agent. */
class HazardPathsTest {

    @TempDir
    Path dir;

    private NfsExport export() throws Exception {
        return new NfsExport(dir, "/export", new FileChangeNotifier());
    }

    private static NfsFileCache cache(NfsExport export, ReleaseMode mode, boolean fsyncInNotifier, boolean inversion) {
        return new NfsFileCache(export, mode, fsyncInNotifier, inversion, 60_000, 300, 256);
    }

    private static NfsFile cachedWrite(NfsExport export, NfsFileCache cache, String name) throws Exception {
        long id = export.create(NfsExport.ROOT_ID, name, false);
        NfsFile f = cache.acquire(id, export.pathOf(id));
        f.write(ByteBuffer.wrap("dirty".getBytes()), 0);
        cache.put(f); // the hash keeps its reference
        assertFalse(f.isClosed());
        return f;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    // ---- fsync-in-notifier ----

    @Test
    void fsyncInNotifierClosesInTheCallback() throws Exception {
        NfsExport export = export();
        NfsFileCache cache = cache(export, ReleaseMode.DEFERRED, true, false);
        NfsFile f = cachedWrite(export, cache, "victim");
        export.remove(NfsExport.ROOT_ID, "victim", false); // REMOVE → notifier → listener
        assertTrue(f.isClosed(), "closed in-line, before remove() returned");
        assertEquals(1, cache.notifierInlineCloses.get());
        assertEquals(0, cache.notifierDeferredCloses.get());
        cache.shutdown();
    }

    @Test
    void safeNotifierDefersTheClose() throws Exception {
        NfsExport export = export();
        NfsFileCache cache = cache(export, ReleaseMode.DEFERRED, false, false);
        NfsFile f = cachedWrite(export, cache, "victim");
        export.rename(NfsExport.ROOT_ID, "victim", NfsExport.ROOT_ID, "victim2"); // a rename keeps it cached
        assertFalse(f.isClosed());
        NfsFile g = cachedWrite(export, cache, "other");
        export.rename(NfsExport.ROOT_ID, "other", NfsExport.ROOT_ID, "victim2"); // ... renaming over it does not
        assertEquals(1, cache.notifierDeferredCloses.get());
        assertEquals(0, cache.notifierInlineCloses.get());
        awaitTrue(f::isClosed, "release executor closes the replaced file");
        assertFalse(g.isClosed());
        cache.shutdown();
        assertTrue(g.isClosed());
    }

    // ---- sync-release ----

    @Test
    void syncReleaseClosesUnderTheCacheLock() throws Exception {
        NfsExport export = export();
        NfsFileCache cache = cache(export, ReleaseMode.SYNC, false, false);
        NfsFile f = cachedWrite(export, cache, "a");
        cache.reaper().scan(); // clears REFERENCED
        cache.reaper().scan(); // reaps: final put in-line
        assertTrue(f.isClosed(), "closed before scan() returned");
        assertEquals(1, cache.syncReleasesUnderLock.get());
        assertEquals(0, cache.deferredReleases.get());
        // a final put from a request thread (entry unhashed while in use)
        long id = export.create(NfsExport.ROOT_ID, "b", false);
        NfsFile b = cache.acquire(id, export.pathOf(id));
        export.remove(NfsExport.ROOT_ID, "b", false);
        assertFalse(b.isClosed(), "still referenced");
        cache.put(b);
        assertTrue(b.isClosed());
        assertEquals(2, cache.syncReleasesUnderLock.get());
        cache.shutdown();
    }

    @Test
    void deferredReleaseUsesTheReleaseExecutor() throws Exception {
        NfsExport export = export();
        NfsFileCache cache = cache(export, ReleaseMode.DEFERRED, false, false);
        NfsFile f = cachedWrite(export, cache, "a");
        cache.reaper().scan();
        cache.reaper().scan();
        assertEquals(1, cache.deferredReleases.get());
        assertEquals(0, cache.syncReleasesUnderLock.get());
        awaitTrue(f::isClosed, "deferred close");
        assertEquals(0, cache.invertedReaperScans.get());
        cache.shutdown();
    }

    // ---- lock-inversion ----

    @Test
    void lockInversionReaperTakesLruThenNamespace() throws Exception {
        NfsExport export = export();
        NfsFileCache cache = cache(export, ReleaseMode.DEFERRED, false, true);
        cachedWrite(export, cache, "a");
        cache.reaper().scan();
        assertEquals(1, cache.invertedReaperScans.get());
        assertEquals(1, cache.reaperScans.get());

        // a real deadlock-shaped collision: namespaceLock is held elsewhere → the watchdog breaks the wait
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            export.namespaceLock().lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException ignored) {
                // done
            } finally {
                export.namespaceLock().unlock();
            }
        });
        holder.start();
        held.await();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread reaper = new Thread(() -> {
            try {
                cache.reaper().scan();
            } catch (Throwable t) {
                err.set(t);
            }
        });
        reaper.start();
        reaper.join(5000);
        release.countDown();
        holder.join();
        assertFalse(reaper.isAlive());
        assertNull(err.get());
        assertEquals(1, cache.inversionDeadlocksBroken.get());
        cache.shutdown();
    }

    // ---- recovery-rwsem ----

    @Test
    void recoveryRwsemWaitsWhileHoldingTheReadLock() throws Exception {
        ServerStateRecovery r = new ServerStateRecovery(dir.resolve("state"), true, 0, 300);
        CompletableFuture<Void> grace = r.beginGrace();
        long epoch = r.bootEpoch();
        assertFalse(r.deferUntilGraceEnds(() -> { }, Runnable::run), "the hazard variant never defers");
        Thread request = new Thread(() -> {
            try {
                r.currentWriteVerifier();
            } catch (InterruptedException ignored) {
                // done
            }
        });
        request.start();
        awaitTrue(() -> r.waitsUnderReadLock.get() == 1, "request waiting under the read lock");
        long t0 = System.nanoTime();
        r.completeRecovery(grace); // needs the write lock: blocked until the request gives up
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        request.join();
        assertEquals(1, r.waitTimeoutsUnderReadLock.get());
        assertTrue(waitedMs >= 150, "recovery was held off by the reader for " + waitedMs + " ms");
        assertEquals(epoch + 1, r.bootEpoch());
    }

    @Test
    void safeRecoveryDefersRequestsAndReadsBySeqcount() throws Exception {
        ServerStateRecovery r = new ServerStateRecovery(dir.resolve("state"), false, 0, 5000);
        long before = r.currentWriteVerifier();
        assertFalse(r.deferUntilGraceEnds(() -> { }, Runnable::run), "no grace, no deferral");
        CompletableFuture<Void> grace = r.beginGrace();
        CompletableFuture<Long> seen = new CompletableFuture<>();
        assertTrue(r.deferUntilGraceEnds(() -> {
            try {
                seen.complete(r.currentWriteVerifier());
            } catch (InterruptedException e) {
                seen.completeExceptionally(e);
            }
        }, Runnable::run));
        assertFalse(seen.isDone(), "deferred, not run, not waited for");
        long t0 = System.nanoTime();
        r.completeRecovery(grace);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "recovery not held off");
        assertNotEquals(before, seen.get(5, TimeUnit.SECONDS), "revisited request saw the new verifier");
        assertEquals(1, r.graceDeferrals.get());
        assertEquals(0, r.waitsUnderReadLock.get());
        assertEquals(1, r.recoveries.get());
    }

    // ---- localio-use-after-shutdown ----

    private NfsServer server(Hazard... hazards) throws Exception {
        NfsServerConfig cfg = new NfsServerConfig();
        cfg.exportDir = dir.resolve("export");
        cfg.hazards = hazards.length == 0 ? EnumSet.noneOf(Hazard.class) : EnumSet.of(hazards[0], hazards);
        cfg.localIoPeriodMs = 60_000; // only explicit local I/O
        cfg.recoveryEveryMs = 0;
        return new NfsServer(cfg).start();
    }

    @Test
    void localIoHazardUsesTheServerAfterShutdown() throws Exception {
        NfsServer server = server(Hazard.LOCALIO_USE_AFTER_SHUTDOWN);
        assertTrue(server.localIoClient().localWrite());
        server.close(); // shutdown(), then the local client's final flush hits the dead server
        assertEquals(1, server.localIoClient().useAfterShutdown.get());
        assertEquals(1, server.fileCache().acquiresAfterShutdown.get());
        assertEquals(0, server.localIoClient().refusedAfterShutdown.get());
        server.deleteTempDirs();
    }

    @Test
    void safeLocalIoIsRefusedAfterShutdown() throws Exception {
        NfsServer server = server();
        assertTrue(server.localIoClient().localWrite());
        assertEquals(0, server.references());
        server.close();
        assertFalse(server.tryGet());
        assertEquals(0, server.localIoClient().useAfterShutdown.get());
        assertEquals(1, server.localIoClient().refusedAfterShutdown.get());
        assertEquals(0, server.fileCache().acquiresAfterShutdown.get());
        server.deleteTempDirs();
    }

    // ---- leak ----

    private static long readOnce(NfsServer server, Path export) throws Exception {
        Files.writeString(export.resolve("leaky"), "data");
        try (Nfs3Client c = new Nfs3Client(new InetSocketAddress("127.0.0.1", server.port()), 10_000)) {
            byte[] root = c.mount("/export");
            byte[] fh = c.lookup(root, "leaky");
            c.read(fh, 0, 100);
            c.read(fh, 0, 100);
        }
        return server.nfsDispatcher().leakedChannels.get();
    }

    @Test
    void leakHazardNeverClosesTheProbeChannel() throws Exception {
        try (NfsServer server = server(Hazard.LEAK)) {
            assertEquals(1, readOnce(server, server.exportDir()));
            assertEquals(1, server.nfsDispatcher().leakedProbeChannelCount());
        }
    }

    @Test
    void noLeakByDefault() throws Exception {
        try (NfsServer server = server()) {
            assertEquals(0, readOnce(server, server.exportDir()));
        }
    }

    @Test
    void hazardSwitchesParse() {
        assertEquals(EnumSet.allOf(Hazard.class), Hazard.parse("all"));
        assertEquals(EnumSet.of(Hazard.LEAK, Hazard.SYNC_RELEASE), Hazard.parse("leak, sync-release"));
        assertTrue(Hazard.parse("").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Hazard.parse("bogus"));
        NfsServerConfig c = new NfsServerConfig();
        c.hazards = Hazard.parse("sync-release");
        assertEquals(ReleaseMode.SYNC, c.effectiveReleaseMode());
    }
}
