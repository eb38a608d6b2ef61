package io.lockdep4j.samples.nfs;

import io.lockdep4j.samples.nfs.cache.NfsFileCache;
import io.lockdep4j.samples.nfs.localio.LocalIoClient;
import io.lockdep4j.samples.nfs.notify.FileChangeNotifier;
import io.lockdep4j.samples.nfs.recovery.ServerStateRecovery;
import io.lockdep4j.samples.nfs.rpc.Mount3Dispatcher;
import io.lockdep4j.samples.nfs.rpc.Nfs3;
import io.lockdep4j.samples.nfs.rpc.Nfs3Dispatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dcache.oncrpc4j.rpc.OncRpcProgram;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.OncRpcSvcBuilder;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;

/**
 * The server: one export, the file cache, the change notifier, state recovery, the in-process
 * LOCALIO client, and an ONC RPC service carrying MOUNT v3 and NFS v3 on one TCP port (no portmapper).
 *
 * <p>The server is reference counted for in-process users (cf. LOCALIO's reference on the nfsd net):
 * {@link #tryGet()} fails once {@link #shutdown()} started; {@link #get()} never fails (only the
 * hazard variant uses it); {@link #put()} drops a reference.
 */
public final class NfsServer implements AutoCloseable {
    private static final int DEAD = 1 << 30;

    private final NfsServerConfig config;
    private final Path exportDir;
    private final boolean ownsExportDir;
    private final Path stateDir;
    private final FileChangeNotifier notifier = new FileChangeNotifier();
    private final NfsExport export;
    private final NfsFileCache fileCache;
    private final ServerStateRecovery stateRecovery;
    private final ServerStateRecovery.RecoveryThread recoveryThread;
    private final Nfs3Dispatcher nfsDispatcher;
    private final Mount3Dispatcher mountDispatcher;
    private final ExecutorService rpcWorkers;
    private final LocalIoClient localIoClient;
    /** In-process references plus the DEAD bit. */
    private final AtomicInteger refs = new AtomicInteger();
    private final CountDownLatch refsDrained = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 shut down
    private final java.util.concurrent.atomic.AtomicBoolean localIoClosed = new java.util.concurrent.atomic.AtomicBoolean();
    private OncRpcSvc rpcService;
    private int port;

    public NfsServer(NfsServerConfig config) throws IOException {
        this.config = config;
        if (config.exportDir == null) {
            this.exportDir = Files.createTempDirectory("lockdep4j-nfs-export");
            this.ownsExportDir = true;
        } else {
            this.exportDir = Files.createDirectories(config.exportDir);
            this.ownsExportDir = false;
        }
        this.stateDir = Files.createTempDirectory("lockdep4j-nfs-state");
        this.export = new NfsExport(exportDir, config.exportPath, notifier);
        this.fileCache = new NfsFileCache(export, config.effectiveReleaseMode(), config.hazard(Hazard.FSYNC_IN_NOTIFIER),
                config.hazard(Hazard.LOCK_INVERSION), config.reaperPeriodMs, config.inversionWatchdogMs,
                config.cacheMaxEntries);
        this.stateRecovery = new ServerStateRecovery(stateDir, config.hazard(Hazard.RECOVERY_RWSEM), config.graceMs,
                config.recoveryWaitMs);
        this.recoveryThread = new ServerStateRecovery.RecoveryThread(stateRecovery, config.recoveryEveryMs);
        this.nfsDispatcher = new Nfs3Dispatcher(this);
        this.mountDispatcher = new Mount3Dispatcher(export);
        AtomicInteger n = new AtomicInteger();
        this.rpcWorkers = Executors.newFixedThreadPool(config.workerThreads, r -> {
            Thread t = new Thread(r, "nfsd-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.localIoClient = config.localIoPeriodMs > 0
                ? new LocalIoClient(this, config.hazard(Hazard.LOCALIO_USE_AFTER_SHUTDOWN), config.localIoPeriodMs)
                : null;
    }

    public NfsServer start() throws IOException {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("already started");
        }
        fileCache.start();
        recoveryThread.start();
        rpcService = new OncRpcSvcBuilder()
                .withTCP()
                .withoutAutoPublish()
                .withBindAddress(config.bindAddress)
                .withPort(config.port)
                .withWorkerThreadIoStrategy()
                .withWorkerThreadExecutionService(rpcWorkers)
                .withSelectorThreadPoolSize(1)
                .withServiceName("lockdep4j-nfs")
                .withRpcService(new OncRpcProgram(Nfs3.NFS_PROGRAM, Nfs3.NFS_V3), nfsDispatcher)
                .withRpcService(new OncRpcProgram(Nfs3.MOUNT_PROGRAM, Nfs3.MOUNT_V3), mountDispatcher)
                .build();
        rpcService.start();
        port = rpcService.getInetSocketAddress(IpProtocolType.TCP).getPort();
        if (localIoClient != null) {
            localIoClient.start();
        }
        return this;
    }

    public int port() {
        return port;
    }

    public Path exportDir() {
        return exportDir;
    }

    public NfsServerConfig config() {
        return config;
    }

    public NfsExport export() {
        return export;
    }

    public NfsFileCache fileCache() {
        return fileCache;
    }

    public ServerStateRecovery stateRecovery() {
        return stateRecovery;
    }

    public Nfs3Dispatcher nfsDispatcher() {
        return nfsDispatcher;
    }

    public Mount3Dispatcher mountDispatcher() {
        return mountDispatcher;
    }

    public LocalIoClient localIoClient() {
        return localIoClient;
    }

    /** Admin hook: run a state recovery (simulated reboot) now. */
    public void triggerRecovery() {
        recoveryThread.requestRecovery();
    }

    // ---- in-process references ----

    /**
     * Take a reference unless the server is shutting down (cf. percpu_ref_tryget_live): increment,
     * then back out if the server is dead, so every reference taken goes through {@link #get()} and
     * every one dropped through {@link #put()}.
     */
    public boolean tryGet() {
        if (isShutdown()) {
            return false;
        }
        get();
        if (isShutdown()) {
            put(); // raced with shutdown(); it may be waiting for this reference to drain
            return false;
        }
        return true;
    }

    /** Take a reference without checking liveness: only correct when one is already held. */
    public void get() {
        refs.incrementAndGet();
    }

    public void put() {
        if (refs.decrementAndGet() == DEAD) {
            refsDrained.countDown();
        }
    }

    public boolean isShutdown() {
        return (refs.get() & DEAD) != 0;
    }

    public int references() {
        return refs.get() & ~DEAD;
    }

    /** Stop accepting in-process references, drain them, stop RPC, recovery and the cache. Idempotent. */
    public void shutdown() {
        if (!state.compareAndSet(1, 2)) {
            if (state.compareAndSet(0, 2)) {
                stopped.countDown();
            }
            return;
        }
        try {
            int before = refs.getAndAdd(DEAD);
            if ((before & ~DEAD) == 0) {
                refsDrained.countDown();
            }
            refsDrained.await(2, TimeUnit.SECONDS);
            try {
                rpcService.stop(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                System.err.println("lockdep4j-nfs: rpc stop: " + e);
            }
            rpcWorkers.shutdown();
            rpcWorkers.awaitTermination(5, TimeUnit.SECONDS);
            recoveryThread.shutdown();
            nfsDispatcher.shutdown();
            fileCache.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    public boolean awaitShutdown(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /**
     * {@link #shutdown()}, then stop the in-process LOCALIO client. Its final flush runs after the
     * server is gone: refused by {@code tryGet} (safe) or a use after shutdown (hazard).
     */
    @Override
    public void close() {
        shutdown();
        if (localIoClient != null && localIoClosed.compareAndSet(false, true)) {
            try {
                localIoClient.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(stateDir);
    }

    /** Whether the export is a temp directory this server created. */
    public boolean ownsExportDir() {
        return ownsExportDir;
    }

    /** Remove the temp export directory if the server created it, and the state directory. */
    public void deleteTempDirs() {
        if (ownsExportDir) {
            deleteTree(exportDir);
        }
        deleteTree(stateDir);
    }

    private static void deleteTree(Path root) {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** One line of counters for logs and the end-of-run summary. */
    public String statsLine() {
        NfsFileCache c = fileCache;
        ServerStateRecovery r = stateRecovery;
        StringBuilder b = new StringBuilder("lockdep4j-nfs stats:");
        b.append(" rpcCalls=").append(nfsDispatcher.calls.sum());
        b.append(" rpcFailures=").append(nfsDispatcher.failures.sum());
        b.append(" mounts=").append(mountDispatcher.mounts.sum());
        b.append(" cacheOpens=").append(c.opens.get());
        b.append(" cacheHits=").append(c.hits.get());
        b.append(" reaped=").append(c.reaped.get());
        b.append(" deferredReleases=").append(c.deferredReleases.get());
        b.append(" syncReleasesUnderLock=").append(c.syncReleasesUnderLock.get());
        b.append(" notifierInlineCloses=").append(c.notifierInlineCloses.get());
        b.append(" notifierDeferredCloses=").append(c.notifierDeferredCloses.get());
        b.append(" invertedReaperScans=").append(c.invertedReaperScans.get());
        b.append(" inversionDeadlocksBroken=").append(c.inversionDeadlocksBroken.get());
        b.append(" acquiresAfterShutdown=").append(c.acquiresAfterShutdown.get());
        b.append(" recoveries=").append(r.recoveries.get());
        b.append(" graceDeferrals=").append(r.graceDeferrals.get());
        b.append(" waitsUnderReadLock=").append(r.waitsUnderReadLock.get());
        b.append(" waitTimeoutsUnderReadLock=").append(r.waitTimeoutsUnderReadLock.get());
        b.append(" leakedChannels=").append(nfsDispatcher.leakedChannels.get());
        if (localIoClient != null) {
            b.append(" localIoOps=").append(localIoClient.ops.get());
            b.append(" localIoRefused=").append(localIoClient.refusedAfterShutdown.get());
            b.append(" localIoUseAfterShutdown=").append(localIoClient.useAfterShutdown.get());
        }
        return b.toString();
    }
}
