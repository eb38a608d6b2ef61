package io.lockdep4j.samples.nfs;

import static org.junit.jupiter.api.Assertions.*;

import io.lockdep4j.samples.nfs.load.Nfs3Client;
import io.lockdep4j.samples.nfs.load.NfsLoadDriver;
import io.lockdep4j.samples.nfs.rpc.Nfs3;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server in-process on an ephemeral port, driven over real ONC RPC by the load driver. */
class NfsServerLoadTest {

    @TempDir
    Path export;

    @ParameterizedTest
    @EnumSource(ReleaseMode.class)
    void loadDriverDataRoundTripsToDisk(ReleaseMode mode) throws Exception {
        NfsServerConfig cfg = new NfsServerConfig();
        cfg.exportDir = export;
        cfg.releaseMode = mode;
        cfg.reaperPeriodMs = 50;
        cfg.recoveryEveryMs = 700;
        try (NfsServer server = new NfsServer(cfg).start()) {
            assertTrue(server.port() > 0);
            NfsLoadDriver.Config lc = new NfsLoadDriver.Config();
            lc.port = server.port();
            lc.threads = 3;
            lc.files = 6;
            lc.durationMs = 2500;
            lc.progress = false;
            NfsLoadDriver.Result r = new NfsLoadDriver(lc).run();
            String summary = r.summary();
            assertEquals(0, r.errors, summary);
            assertEquals(0, r.verifyErrors, summary);
            assertTrue(r.ops > 50, summary);
            for (NfsLoadDriver.Op op : NfsLoadDriver.Op.values()) {
                assertTrue(r.perOpCount.getOrDefault(op, 0L) > 0, "no " + op + " ops: " + summary);
            }
            assertTrue(summary.contains("p99.9="), summary);

            // what the driver believes it wrote is what is on disk
            assertFalse(r.expectedFiles.isEmpty());
            for (Map.Entry<String, byte[]> e : r.expectedFiles.entrySet()) {
                Path p = export.resolve(e.getKey());
                assertTrue(Files.exists(p), "missing " + p);
                assertArrayEquals(e.getValue(), Files.readAllBytes(p), "content of " + p);
            }
            try (var s = Files.list(export)) {
                long own = s.filter(p -> p.getFileName().toString().startsWith("load-")).count();
                assertEquals(r.expectedFiles.size(), own, "files on disk vs. expected");
            }

            var d = server.nfsDispatcher();
            assertTrue(d.calls(Nfs3.NFSPROC3_COMMIT) > 0);
            assertTrue(d.commitForces.get() >= d.calls(Nfs3.NFSPROC3_COMMIT), "COMMIT forces");
            assertTrue(d.lastDispatchThread.startsWith("nfsd-"), d.lastDispatchThread);
            assertTrue(server.stateRecovery().recoveries.get() > 0, "recoveries ran");
            assertTrue(r.verifierChanges >= 0);

            var cache = server.fileCache();
            if (mode == ReleaseMode.SYNC) {
                assertTrue(cache.syncReleasesUnderLock.get() > 0, server.statsLine());
            } else {
                assertEquals(0, cache.syncReleasesUnderLock.get(), server.statsLine());
                assertTrue(cache.deferredReleases.get() > 0, server.statsLine());
            }
            // default run: no hazard path taken
            assertEquals(0, cache.notifierInlineCloses.get());
            assertEquals(0, cache.invertedReaperScans.get());
            assertEquals(0, server.stateRecovery().waitsUnderReadLock.get());
            assertEquals(0, d.leakedChannels.get());
        }
    }

    @Test
    void directProtocolOperations() throws Exception {
        NfsServerConfig cfg = new NfsServerConfig();
        cfg.exportDir = export;
        cfg.localIoPeriodMs = 0;
        try (NfsServer server = new NfsServer(cfg).start();
             Nfs3Client c = new Nfs3Client(new InetSocketAddress("127.0.0.1", server.port()), 10_000)) {
            c.nullCall();
            assertThrows(java.io.IOException.class, () -> c.mount("/nope"));
            byte[] root = c.mount("/export");
            byte[] dir = c.mkdir(root, "sub");
            assertTrue(Files.isDirectory(export.resolve("sub")));
            byte[] fh = c.create(dir, "a.txt");
            byte[] data = "hello over nfs".getBytes();
            assertEquals(data.length, c.write(fh, 0, data, 0, data.length, Nfs3.FILE_SYNC).count());
            c.commit(fh);
            assertArrayEquals(data, Files.readAllBytes(export.resolve("sub/a.txt")));
            Nfs3Client.ReadResult rr = c.read(fh, 0, 1000);
            assertArrayEquals(data, rr.data());
            assertTrue(rr.eof());
            assertEquals(data.length, c.getattr(fh).size);
            c.rename(dir, "a.txt", root, "b.txt");
            assertArrayEquals(data, c.read(fh, 0, 1000).data(), "handle follows the renamed file");
            assertEquals(List.of("b.txt", "sub"),
                    c.readdirplus(root).stream().filter(n -> !n.startsWith(".")).sorted().toList());
            c.remove(root, "b.txt");
            assertNull(c.lookup(root, "b.txt"));
            var ex = assertThrows(io.lockdep4j.samples.nfs.rpc.NfsStatusException.class, () -> c.read(fh, 0, 10));
            assertEquals(Nfs3.NFS3ERR_STALE, ex.status());
            // many entries: READDIRPLUS paging
            for (int i = 0; i < 200; i++) {
                c.create(dir, "entry-" + i);
            }
            assertEquals(200, c.readdirplus(dir).size());
            assertTrue(Arrays.asList(export.resolve("sub").toFile().list()).contains("entry-199"));
        }
    }
}
