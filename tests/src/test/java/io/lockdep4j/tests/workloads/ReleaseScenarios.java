package io.lockdep4j.tests.workloads;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Release-path workloads (issue 3) run under the real agent by ReleasePathEventsTest:
 * {@code java -cp test-classes io.lockdep4j.tests.workloads.ReleaseScenarios NAME DIR}. Every
 * scenario prints "scenario NAME done" at the end.
 *
 * <p>The NFS hazards in miniature: a file cache whose eviction listener (a lambda implementing an
 * EventListener) does the final close of a handle, with {@code force(true)}, while the cache
 * lock is held (notifier-sync); and its twin that hands the close to an executor
 * (notifier-deferred).
 */
public final class ReleaseScenarios {
    public static final String RELEASE_OPTS = "releaseMethods=" + ReleaseScenarios.class.getName() + "$FileCache#release";

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("release-scenarios");
        Files.createDirectories(dir);
        switch (name) {
            case "notifier-sync": notifier(dir, false); break;
            case "notifier-deferred": notifier(dir, true); break;
            case "streams": streams(dir); break;
            case "wait-holding": waitHolding(); break;
            case "leak": leak(dir); break;
            case "many-leaks": manyLeaks(dir); break;
            case "leak-subclass": leakSubclass(dir); break;
            case "leak-files": leakThroughFilesOut(dir); leakThroughFilesIn(dir); break;
            case "refcount": refcount(); break;
            case "use-after-shutdown": useAfterShutdown(); break;
            case "recovery-rwsem-deadlock": recoveryRwsemDeadlock(); break;
            case "recovery-seqcount": recoverySeqcount(); break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    // ---- an event bus with EventListener listeners, registered as lambdas

    public record Evicted(Path path, FileChannel channel) {}

    public interface EvictionListener extends EventListener {
        void onEvicted(Evicted e) throws IOException;
    }

    public static final class EventBus {
        private final List<EvictionListener> listeners = new ArrayList<>();

        public void register(EvictionListener l) {
            listeners.add(l);
        }

        public void publish(Evicted e) throws IOException {
            for (EvictionListener l : listeners) {
                l.onEvicted(e);
            }
        }
    }

    /** The cache: releasing a handle is the last close; under cacheLock. */
    public static final class FileCache {
        final ReentrantLock cacheLock = new ReentrantLock();
        final ExecutorService closer = Executors.newSingleThreadExecutor(r -> new Thread(r, "cache-closer"));
        final boolean deferred;

        FileCache(boolean deferred) {
            this.deferred = deferred;
        }

        /** The release method (releaseMethods=...$FileCache#release). */
        public void release(FileChannel ch) throws IOException {
            cacheLock.lock();
            try {
                if (deferred) {
                    closer.execute(() -> closeQuietly(ch));
                } else {
                    finalClose(ch);
                }
            } finally {
                cacheLock.unlock();
            }
        }

        static void finalClose(FileChannel ch) throws IOException {
            ch.force(true);
            ch.close();
        }

        static void closeQuietly(FileChannel ch) {
            try {
                finalClose(ch);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static void notifier(Path dir, boolean deferred) throws Exception {
        FileCache cache = new FileCache(deferred);
        EventBus bus = new EventBus();
        bus.register(e -> cache.release(e.channel()));
        Path p = dir.resolve(deferred ? "deferred.dat" : "sync.dat");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.write(ByteBuffer.wrap("hello".getBytes()));
        bus.publish(new Evicted(p, ch));
        cache.closer.shutdown();
        if (!cache.closer.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("closer did not finish");
        }
        if (ch.isOpen()) {
            throw new IllegalStateException("not closed");
        }
    }

    // ---- streams: a used FileOutputStream closes twice internally; closing again closes nothing

    static final Object streamLock = new Object();

    static void streams(Path dir) throws Exception {
        File out = dir.resolve("out.dat").toFile();
        FileOutputStream fos = new FileOutputStream(out);
        fos.write(1);
        fos.getChannel().position(); // a FileOutputStream with a channel closes through it
        synchronized (streamLock) {
            fos.getFD().sync();
            fos.close();
        }
        fos.close(); // already closed: no event
        try (FileInputStream in = new FileInputStream(out)) {
            in.read();
        }
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("raf.dat").toFile(), "rw")) {
            raf.write(2);
        }
    }

    // ---- a wait while holding a lock, and the signal

    public static final class Journal {
        final ReentrantLock journalLock = new ReentrantLock();
    }

    static void waitHolding() throws Exception {
        Journal j = new Journal();
        CountDownLatch flushed = new CountDownLatch(1);
        Thread flusher = new Thread(() -> {
            sleep(100);
            flushed.countDown();
        }, "flusher");
        flusher.start();
        j.journalLock.lock();
        try {
            flushed.await();
        } finally {
            j.journalLock.unlock();
        }
        flusher.join();
    }

    // ---- the recovery lock-out: a seqcount turned into a rw-semaphore, and the seqcount

    static final int REQUESTS = 3;

    /**
     * Server state behind a rw-lock: requests hold the read lock and wait for recovery to finish;
     * recovery needs the write lock to finish. A real deadlock: this scenario never prints "done".
     */
    public static final class RwsemState {
        final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
        final CountDownLatch recoveryDone = new CountDownLatch(1);
        int generation;

        void serve(CountDownLatch waiting) throws InterruptedException {
            stateLock.readLock().lock();
            try {
                waiting.countDown();
                recoveryDone.await(); // holds the read lock: recovery can never take the write lock
            } finally {
                stateLock.readLock().unlock();
            }
        }

        void recover() {
            stateLock.writeLock().lock();
            try {
                generation++;
            } finally {
                stateLock.writeLock().unlock();
            }
            recoveryDone.countDown();
        }
    }

    static void recoveryRwsemDeadlock() throws Exception {
        RwsemState st = new RwsemState();
        CountDownLatch waiting = new CountDownLatch(REQUESTS);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            threads.add(new Thread(() -> {
                try {
                    st.serve(waiting);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "request-" + i));
        }
        threads.add(new Thread(() -> {
            try {
                waiting.await(); // every request waits, holding the read lock: the lock-out is certain
            } catch (InterruptedException e) {
                return;
            }
            st.recover();
        }, "recovery"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * The same server state behind a seqcount (StampedLock optimistic reads): a request that sees
     * recovery in progress waits holding nothing, then retries; recovery takes the write lock freely.
     */
    public static final class SeqState {
        final StampedLock seq = new StampedLock();
        final CountDownLatch recoveryDone = new CountDownLatch(1);
        volatile boolean recovering = true;
        volatile int generation;

        int serve() throws InterruptedException {
            for (;;) {
                long stamp = seq.tryOptimisticRead();
                boolean busy = recovering;
                int g = generation;
                if (stamp != 0 && seq.validate(stamp) && !busy) {
                    return g;
                }
                recoveryDone.await(); // holds nothing
            }
        }

        void recover() {
            long stamp = seq.writeLock();
            try {
                generation++;
                recovering = false;
            } finally {
                seq.unlockWrite(stamp);
            }
            recoveryDone.countDown();
        }
    }

    static void recoverySeqcount() throws Exception {
        SeqState st = new SeqState();
        List<Thread> threads = new ArrayList<>();
        int[] served = new int[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try {
                    served[n] = st.serve();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "request-" + i));
        }
        threads.add(new Thread(st::recover, "recovery"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("served generation " + served[0]);
    }

    // ---- a handle never closed

    static final List<Object> keep = new ArrayList<>();

    static void leak(Path dir) throws Exception {
        FileOutputStream leaked = new FileOutputStream(dir.resolve("leaked.dat").toFile());
        leaked.write(3);
        keep.add(leaked);
        try (FileOutputStream closed = new FileOutputStream(dir.resolve("closed.dat").toFile())) {
            closed.write(4);
        }
    }

    /** A storage engine's log file: a RandomAccessFile subclass, whose super(...) opens the file. */
    public static final class LogFile extends java.io.RandomAccessFile {
        LogFile(java.io.File f) throws java.io.IOException {
            super(f, "rw");
        }
    }

    /** One LogFile leaked, its twin closed: one leak, opened in LogFile's constructor. */
    static void leakSubclass(Path dir) throws Exception {
        LogFile leaked = new LogFile(dir.resolve("log-1.dat").toFile());
        leaked.write(5);
        keep.add(leaked);
        try (LogFile closed = new LogFile(dir.resolve("log-2.dat").toFile())) {
            closed.write(6);
        }
    }

    /** Files.newOutputStream returns a JDK-internal wrapper over a channel: one leaked, its twin closed. */
    static void leakThroughFilesOut(Path dir) throws Exception {
        java.io.OutputStream leaked = Files.newOutputStream(dir.resolve("files-out-1.dat"));
        leaked.write(7);
        keep.add(leaked);
        try (java.io.OutputStream closed = Files.newOutputStream(dir.resolve("files-out-2.dat"))) {
            closed.write(8);
        }
    }

    /** The same through Files.newInputStream; a Stream of lines closed too (its close closes its channel). */
    static void leakThroughFilesIn(Path dir) throws Exception {
        Path in = dir.resolve("files-in.dat");
        Files.write(in, new byte[] {'a', '\n'});
        java.io.InputStream leaked = Files.newInputStream(in);
        keep.add(leaked);
        try (java.io.InputStream closed = Files.newInputStream(in); java.util.stream.Stream<String> lines = Files.lines(in)) {
            closed.read();
            lines.count();
        }
    }

    /** Leaks per open site: 500 channels still open at exit, each of them a handle the report must count. */
    public static final int MANY_LEAKS = 500;

    static void manyLeaks(Path dir) throws Exception {
        Path p = dir.resolve("many.dat");
        java.nio.file.Files.write(p, new byte[] {1});
        for (int i = 0; i < MANY_LEAKS; i++) {
            keep.add(java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ));
        }
    }

    // ---- refcounts and use after shutdown

    public static final class Handle {
        int refs = 1;

        public void get() {
            refs++;
        }

        public void put() {
            refs--;
        }
    }

    static void refcount() {
        Handle h = new Handle();
        h.get();
        h.put();
        h.put();
        h.put(); // one put too many
    }

    public static final class Server {
        boolean running = true;

        public void shutdown() {
            running = false;
        }

        public String status() {
            return running ? "up" : "down";
        }
    }

    static void useAfterShutdown() {
        Server s = new Server();
        s.status();
        s.shutdown();
        System.out.println("status " + s.status());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
