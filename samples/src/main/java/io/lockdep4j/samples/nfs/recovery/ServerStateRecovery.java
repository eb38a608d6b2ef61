package io.lockdep4j.samples.nfs.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Server state recovery (cf. NFSv4 state recovery after a reboot, and knfsd's write verifier
 * protected by the {@code writeverf_lock} seqlock). A recovery starts a new boot epoch: it announces
 * a grace period, lets clients reclaim for {@code graceMs}, records the new epoch in stable storage,
 * and then swaps the write verifier (clients resend uncommitted writes when it changes).
 *
 * <p>Requests (WRITE, COMMIT) read the (epoch, verifier) pair:
 * <ul>
 *   <li>safe: seqcount style with {@link #stateSeq} ({@link StampedLock#tryOptimisticRead},
 *       {@link StampedLock#validate}, redo); a request that meets a grace period does not wait at
 *       all: it is deferred ({@link #deferUntilGraceEnds}) and revisited when the grace period ends
 *       (cf. knfsd's svc_defer), so neither a lock nor an RPC worker thread is held;</li>
 *   <li>hazard {@code recovery-rwsem}: a request takes {@link #recoveryRwLock} for reading and, while
 *       holding it, waits for the grace period to end, but the {@link RecoveryThread} that ends it
 *       needs {@link #recoveryRwLock} for writing. The wait is bounded ({@code recoveryWaitMs}) so
 *       the server degrades (recoveries stall, requests time out) instead of hanging.</li>
 * </ul>
 */
public final class ServerStateRecovery {
    /** Safe twin: seqcount over the boot state. */
    private final StampedLock stateSeq = new StampedLock();
    /** Hazard twin: an rwsem over the boot state. */
    private final ReentrantReadWriteLock recoveryRwLock = new ReentrantReadWriteLock();
    private final boolean rwsemHazard;
    private final long graceMs;
    private final long recoveryWaitMs;
    private final Path stateDir;
    /** Non-null while a recovery (grace period) is in progress; completed when it ends. */
    private volatile CompletableFuture<Void> recoveryInProgress;
    // guarded by stateSeq (safe) or recoveryRwLock (hazard); plain fields read optimistically
    private long bootEpoch;
    private long writeVerifier;

    public final AtomicLong recoveries = new AtomicLong();
    public final AtomicLong optimisticRetries = new AtomicLong();
    public final AtomicLong graceDeferrals = new AtomicLong();
    public final AtomicLong waitsUnderReadLock = new AtomicLong();
    public final AtomicLong waitTimeoutsUnderReadLock = new AtomicLong();

    public ServerStateRecovery(Path stateDir, boolean rwsemHazard, long graceMs, long recoveryWaitMs)
            throws IOException {
        this.stateDir = Files.createDirectories(stateDir);
        this.rwsemHazard = rwsemHazard;
        this.graceMs = graceMs;
        this.recoveryWaitMs = recoveryWaitMs;
        this.bootEpoch = 1;
        this.writeVerifier = ThreadLocalRandom.current().nextLong();
    }

    public boolean rwsemHazard() {
        return rwsemHazard;
    }

    /**
     * Safe twin: if a grace period is in progress, run {@code request} on {@code executor} once it
     * ends and return true (the caller must not process the request now); else return false.
     * Not used in the hazard variant, whose requests wait in {@link #currentWriteVerifier()}.
     */
    public boolean deferUntilGraceEnds(Runnable request, Executor executor) {
        CompletableFuture<Void> grace = recoveryInProgress;
        if (rwsemHazard || grace == null) {
            return false;
        }
        graceDeferrals.incrementAndGet();
        grace.thenRunAsync(request, executor);
        return true;
    }

    /** The write verifier to put in a WRITE/COMMIT reply. */
    public long currentWriteVerifier() throws InterruptedException {
        return rwsemHazard ? verifierUnderReadLock() : verifierBySeqcount();
    }

    private long verifierBySeqcount() {
        while (true) {
            long stamp = stateSeq.tryOptimisticRead();
            long verifier = writeVerifier;
            long epoch = bootEpoch;
            if (stamp != 0 && stateSeq.validate(stamp) && epoch > 0) {
                return verifier;
            }
            optimisticRetries.incrementAndGet(); // a recovery swapped the state under us: redo
            Thread.onSpinWait();
        }
    }

    private long verifierUnderReadLock() throws InterruptedException {
        recoveryRwLock.readLock().lock();
        try {
            CompletableFuture<Void> grace = recoveryInProgress;
            if (grace != null) {
                // hazard: waiting for the recovery while holding the lock the recovery needs
                waitsUnderReadLock.incrementAndGet();
                try {
                    grace.get(recoveryWaitMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // recovery failed; go on with the old state
                } catch (TimeoutException e) {
                    waitTimeoutsUnderReadLock.incrementAndGet();
                    System.err.println("lockdep4j-nfs: recovery-rwsem: request on " + Thread.currentThread().getName()
                            + " waited " + recoveryWaitMs + " ms for recovery while holding recoveryRwLock.readLock");
                }
            }
            return writeVerifier;
        } finally {
            recoveryRwLock.readLock().unlock();
        }
    }

    /** Announce a grace period (phase 1 of {@link #recover()}); visible to tests. */
    public CompletableFuture<Void> beginGrace() {
        CompletableFuture<Void> grace = new CompletableFuture<>();
        recoveryInProgress = grace;
        return grace;
    }

    /** Swap the boot state (phase 2) and end the grace period. */
    public void completeRecovery(CompletableFuture<Void> grace) throws IOException {
        try {
            long epoch;
            if (rwsemHazard) {
                recoveryRwLock.writeLock().lock();
                try {
                    epoch = ++bootEpoch;
                    writeVerifier = ThreadLocalRandom.current().nextLong();
                } finally {
                    recoveryRwLock.writeLock().unlock();
                }
            } else {
                long stamp = stateSeq.writeLock();
                try {
                    epoch = ++bootEpoch;
                    writeVerifier = ThreadLocalRandom.current().nextLong();
                } finally {
                    stateSeq.unlockWrite(stamp);
                }
            }
            recordEpoch(epoch);
            recoveries.incrementAndGet();
        } finally {
            recoveryInProgress = null;
            grace.complete(null);
        }
    }

    /** One full recovery: grace period for reclaims, then the state swap. Runs on the recovery thread. */
    public void recover() throws IOException, InterruptedException {
        CompletableFuture<Void> grace = beginGrace();
        try {
            Thread.sleep(graceMs); // clients reclaim their state during grace
        } finally {
            completeRecovery(grace);
        }
    }

    /** Stable storage: the boot epoch survives "reboots" (cf. nfsdcltrack). No lock held. */
    private void recordEpoch(long epoch) throws IOException {
        try (FileChannel ch = FileChannel.open(stateDir.resolve("boot-epoch"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((epoch + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            ch.force(true);
        }
    }

    public long bootEpoch() {
        long stamp = stateSeq.readLock();
        try {
            return bootEpoch;
        } finally {
            stateSeq.unlockRead(stamp);
        }
    }

    /** Periodic recovery trigger (cf. a server restart every N ms), plus {@link #requestRecovery()}. */
    public static final class RecoveryThread extends Thread {
        private final ServerStateRecovery recovery;
        private final long everyMs;
        private final java.util.concurrent.Semaphore requested = new java.util.concurrent.Semaphore(0);
        private volatile boolean running = true;

        public RecoveryThread(ServerStateRecovery recovery, long everyMs) {
            super("nfsd-state-recovery");
            setDaemon(true);
            this.recovery = recovery;
            this.everyMs = everyMs;
        }

        public void requestRecovery() {
            requested.release();
        }

        public void shutdown() throws InterruptedException {
            running = false;
            interrupt();
            join(5000);
        }

        @Override
        public void run() {
            while (running) {
                try {
                    if (everyMs > 0) {
                        requested.tryAcquire(everyMs, TimeUnit.MILLISECONDS);
                    } else {
                        requested.acquire();
                    }
                    if (!running) {
                        return;
                    }
                    recovery.recover();
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                } catch (IOException e) {
                    if (running) {
                        System.err.println("lockdep4j-nfs: recovery failed: " + e);
                    }
                }
            }
        }
    }
}
