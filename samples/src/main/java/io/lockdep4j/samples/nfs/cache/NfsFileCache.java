package io.lockdep4j.samples.nfs.cache;

import io.lockdep4j.samples.nfs.NfsExport;
import io.lockdep4j.samples.nfs.ReleaseMode;
import io.lockdep4j.samples.nfs.notify.FileChangeListener;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open-file cache (cf. Linux fs/nfsd/filecache.c): entries hashed by file id, reference
 * counted ({@link #acquire}/{@link #put}); the hash holds one reference while an entry is hashed.
 * An LRU with a REFERENCED bit is trimmed by the periodic {@link Reaper}; unlinked files are
 * unhashed by the change-notifier {@link UnlinkListener}.
 *
 * <p>The final put closes the FileChannel (forcing writable files first):
 * <ul>
 *   <li>{@link ReleaseMode#DEFERRED} (safe): handed to {@link #releaseExecutor} after {@link #lruLock}
 *       is dropped (cf. delayed fput);</li>
 *   <li>{@link ReleaseMode#SYNC} (hazard {@code sync-release}): closed and forced in-line on the
 *       caller's thread while still holding {@link #lruLock} (cf. __fput_sync).</li>
 * </ul>
 * Lock order (safe): {@code NfsExport.namespaceLock} before {@code NfsFileCache.lruLock}.
 */
public final class NfsFileCache implements AutoCloseable {
    /** Guards {@link #hash} (which is also the LRU, in insertion order) and every entry's refs/bits. */
    private final ReentrantLock lruLock = new ReentrantLock();
    private final LinkedHashMap<Long, NfsFile> hash = new LinkedHashMap<>();
    /** Runs deferred final closes (the "delayed fput" work queue). */
    private final ExecutorService releaseExecutor;
    private final NfsExport export;
    private final ReleaseMode releaseMode;
    private final boolean fsyncInNotifier;
    private final boolean lockInversion;
    private final long inversionWatchdogMs;
    private final int maxEntries;
    private final Reaper reaper;
    private final UnlinkListener unlinkListener = new UnlinkListener();
    private volatile boolean shutdown;

    // observable effects (tests and reports)
    public final AtomicLong hits = new AtomicLong();
    public final AtomicLong opens = new AtomicLong();
    public final AtomicLong deferredReleases = new AtomicLong();
    public final AtomicLong syncReleasesUnderLock = new AtomicLong();
    public final AtomicLong notifierInlineCloses = new AtomicLong();
    public final AtomicLong notifierDeferredCloses = new AtomicLong();
    public final AtomicLong reaped = new AtomicLong();
    public final AtomicLong reaperScans = new AtomicLong();
    public final AtomicLong invertedReaperScans = new AtomicLong();
    public final AtomicLong inversionDeadlocksBroken = new AtomicLong();
    public final AtomicLong acquiresAfterShutdown = new AtomicLong();
    public final AtomicLong closeFailures = new AtomicLong();

    public NfsFileCache(NfsExport export, ReleaseMode releaseMode, boolean fsyncInNotifier, boolean lockInversion,
                        long reaperPeriodMs, long inversionWatchdogMs, int maxEntries) {
        this.export = export;
        this.releaseMode = releaseMode;
        this.fsyncInNotifier = fsyncInNotifier;
        this.lockInversion = lockInversion;
        this.inversionWatchdogMs = inversionWatchdogMs;
        this.maxEntries = maxEntries;
        this.releaseExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "nfsd-file-release"));
        this.reaper = new Reaper(reaperPeriodMs);
        export.notifier().addListener(unlinkListener);
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start() {
        reaper.start();
    }

    public ReleaseMode releaseMode() {
        return releaseMode;
    }

    public int size() {
        lruLock.lock();
        try {
            return hash.size();
        } finally {
            lruLock.unlock();
        }
    }

    public boolean isShutdown() {
        return shutdown;
    }

    /** Get a referenced open file for {@code fileId}; pair with {@link #put}. */
    public NfsFile acquire(long fileId, Path path) throws IOException {
        if (shutdown) {
            // nobody should get here once the cache is gone; an uncached entry keeps the caller going
            acquiresAfterShutdown.incrementAndGet();
            NfsFile stray = open(fileId, path);
            stray.refs = 1;
            return stray;
        }
        lruLock.lock();
        try {
            NfsFile f = hash.get(fileId);
            if (f != null) {
                f.refs++;
                f.referenced = true;
                hits.incrementAndGet();
                return f;
            }
        } finally {
            lruLock.unlock();
        }
        NfsFile fresh = open(fileId, path); // outside the lock: opening may hit the disk
        NfsFile loser = null;
        NfsFile result;
        lruLock.lock();
        try {
            NfsFile f = hash.get(fileId);
            if (f != null) {
                f.refs++;
                f.referenced = true;
                loser = fresh;
                result = f;
            } else {
                fresh.refs = 2; // the hash's reference and the caller's
                fresh.hashed = true;
                fresh.referenced = true;
                hash.put(fileId, fresh);
                result = fresh;
            }
        } finally {
            lruLock.unlock();
        }
        if (loser != null) {
            loser.refs = 0;
            deferRelease(loser);
        }
        return result;
    }

    private NfsFile open(long fileId, Path path) throws IOException {
        opens.incrementAndGet();
        try {
            return new NfsFile(fileId, path,
                    FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE), true);
        } catch (AccessDeniedException e) {
            return new NfsFile(fileId, path, FileChannel.open(path, StandardOpenOption.READ), false);
        }
    }

    /** Drop a reference; the final put closes the file (deferred, or in-line under lruLock in SYNC mode). */
    public void put(NfsFile f) {
        NfsFile last = null;
        lruLock.lock();
        try {
            if (--f.refs == 0) {
                if (releaseMode == ReleaseMode.SYNC) {
                    closeUnderLruLock(f);
                } else {
                    last = f;
                }
            }
        } finally {
            lruLock.unlock();
        }
        if (last != null) {
            deferRelease(last);
        }
    }

    /** SYNC release: force + close with {@link #lruLock} held (hazard {@code sync-release}). */
    private void closeUnderLruLock(NfsFile f) {
        syncReleasesUnderLock.incrementAndGet();
        closeQuietly(f);
    }

    private void deferRelease(NfsFile f) {
        try {
            releaseExecutor.execute(() -> closeQuietly(f));
            deferredReleases.incrementAndGet();
        } catch (RejectedExecutionException e) {
            closeQuietly(f); // the cache is gone: nothing else will close it
        }
    }

    private void closeQuietly(NfsFile f) {
        try {
            f.closeAndForce();
        } catch (IOException | RuntimeException e) {
            closeFailures.incrementAndGet();
        }
    }

    // ---- change notification (cf. nfsd_file_fsnotify_handle_event) ----

    /** Unhash the cached entry of an unlinked file; the hash's reference may be the final one. */
    void unhashUnlinked(long fileId) {
        NfsFile last = null;
        lruLock.lock();
        try {
            NfsFile f = hash.remove(fileId);
            if (f == null) {
                return;
            }
            f.hashed = false;
            if (--f.refs == 0) {
                if (releaseMode == ReleaseMode.SYNC) {
                    // SYNC closes every final put in-line, so this one is in the callback too
                    if (fsyncInNotifier) {
                        notifierInlineCloses.incrementAndGet();
                    }
                    closeUnderLruLock(f);
                } else {
                    last = f;
                }
            }
        } finally {
            lruLock.unlock();
        }
        if (last == null) {
            return;
        }
        if (fsyncInNotifier) {
            // hazard fsync-in-notifier: force + close in-line in the notifier callback
            notifierInlineCloses.incrementAndGet();
            closeQuietly(last);
        } else {
            notifierDeferredCloses.incrementAndGet();
            deferRelease(last);
        }
    }

    /** The cache's fsnotify mark: listens for unlinks and renames over cached files. */
    public final class UnlinkListener implements FileChangeListener {
        @Override
        public void onUnlink(long fileId, Path path) {
            unhashUnlinked(fileId);
        }

        @Override
        public void onRename(long fileId, Path from, Path to, long replacedFileId) {
            if (replacedFileId != -1) {
                unhashUnlinked(replacedFileId);
            }
        }
    }

    // ---- reaper (cf. nfsd_file_gc / the LRU shrinker) ----

    /**
     * Periodic LRU trim. Safe: takes {@code NfsExport.namespaceLock} then {@link #lruLock} (the same
     * order as REMOVE/RENAME → notifier → cache). Hazard {@code lock-inversion}: takes {@link #lruLock}
     * then {@code namespaceLock}; a watchdog interrupts a real deadlock after a bound.
     */
    public final class Reaper implements Runnable {
        private final long periodMs;
        private final Thread thread;
        private final ScheduledExecutorService watchdog;
        private volatile boolean running = true;

        Reaper(long periodMs) {
            this.periodMs = periodMs;
            this.thread = daemon(this, "nfsd-filecache-reaper");
            this.watchdog = lockInversion
                    ? Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "nfsd-reaper-watchdog"))
                    : null;
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5000);
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
        }

        @Override
        public void run() {
            while (running) {
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                    continue;
                }
                scan();
            }
        }

        /** One pass over the LRU. */
        public void scan() {
            if (lockInversion) {
                scanLruThenNamespace();
            } else {
                scanNamespaceThenLru();
            }
        }

        private void scanNamespaceThenLru() {
            List<NfsFile> dispose = new ArrayList<>();
            ReentrantLock namespaceLock = export.namespaceLock();
            namespaceLock.lock();
            try {
                lruLock.lock();
                try {
                    collect(dispose);
                } finally {
                    lruLock.unlock();
                }
            } finally {
                namespaceLock.unlock();
            }
            reaperScans.incrementAndGet();
            dispose.forEach(NfsFileCache.this::deferRelease);
        }

        private void scanLruThenNamespace() {
            List<NfsFile> dispose = new ArrayList<>();
            ReentrantLock namespaceLock = export.namespaceLock();
            Thread self = Thread.currentThread();
            lruLock.lock();
            try {
                ScheduledFuture<?> breaker = watchdog.schedule(self::interrupt, inversionWatchdogMs, TimeUnit.MILLISECONDS);
                try {
                    namespaceLock.lockInterruptibly(); // lruLock → namespaceLock: the inverted order
                    try {
                        invertedReaperScans.incrementAndGet();
                        collect(dispose);
                    } finally {
                        namespaceLock.unlock();
                    }
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                    inversionDeadlocksBroken.incrementAndGet();
                } finally {
                    if (!breaker.cancel(false) && running) {
                        Thread.interrupted(); // the watchdog fired late; clear its interrupt
                    }
                }
            } finally {
                lruLock.unlock();
            }
            reaperScans.incrementAndGet();
            dispose.forEach(NfsFileCache.this::deferRelease);
        }

        /** Under lruLock (and namespaceLock): unhash unlinked, and idle unreferenced entries. */
        private void collect(List<NfsFile> dispose) {
            int excess = hash.size() - maxEntries;
            List<NfsFile> secondChance = new ArrayList<>();
            for (Iterator<NfsFile> it = hash.values().iterator(); it.hasNext(); ) {
                NfsFile f = it.next();
                boolean linked = export.isLinked(f.fileId);
                if (linked && f.refs > 1) {
                    continue; // in use
                }
                if (linked && f.referenced && excess <= 0) {
                    f.referenced = false; // second chance: move to the LRU tail
                    it.remove();
                    secondChance.add(f);
                    continue;
                }
                it.remove();
                f.hashed = false;
                excess--;
                reaped.incrementAndGet();
                if (--f.refs == 0) {
                    if (releaseMode == ReleaseMode.SYNC) {
                        closeUnderLruLock(f);
                    } else {
                        dispose.add(f);
                    }
                }
            }
            for (NfsFile f : secondChance) {
                hash.put(f.fileId, f);
            }
        }
    }

    public Reaper reaper() {
        return reaper;
    }

    /** Unhash everything, close what is unused, and drain the release executor. */
    public void shutdown() throws InterruptedException {
        if (shutdown) {
            return;
        }
        shutdown = true;
        reaper.stop();
        List<NfsFile> dispose = new ArrayList<>();
        lruLock.lock();
        try {
            for (NfsFile f : hash.values()) {
                f.hashed = false;
                if (--f.refs == 0) {
                    if (releaseMode == ReleaseMode.SYNC) {
                        closeUnderLruLock(f);
                    } else {
                        dispose.add(f);
                    }
                }
            }
            hash.clear();
        } finally {
            lruLock.unlock();
        }
        dispose.forEach(this::deferRelease);
        export.notifier().removeListener(unlinkListener);
        releaseExecutor.shutdown();
        releaseExecutor.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        shutdown();
    }
}
