package io.lockdep4j.tests.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongBinaryOperator;

/**
 * The soak workload of issue "Reliability" (run by {@code SoakTest}, with and without the agent).
 * It prints {@code checksum N}: a value that depends only on the parameters, never on thread
 * interleaving, so a run under the agent must print the same number as a run without it.
 *
 * <p>What it does, with its default scale (2 cores, CI time; every number is a system property,
 * e.g. {@code -Dsoak.acquisitions=10000000} for a quicker run):
 * <ul>
 *   <li>{@code soak.classes} (1000) copies of {@link SoakLock00000}, each renamed and defined by its
 *       own class loader: 1000 loaders, 3000 lock classes (the object's monitor, its
 *       {@code monitor} field, its {@code lock} field);</li>
 *   <li>{@code soak.threads} (64) platform threads share {@code soak.acquisitions} (10^8) lock
 *       acquisitions: each step holds copy i's object monitor and calls copy j (i &lt; j, so the
 *       order is consistent: no deadlock, no cycle), which takes two more locks. About 500,000
 *       distinct edges exist, more than the agent's edge table holds, so its caps are hit;</li>
 *   <li>one step in 101 throws inside both critical sections;</li>
 *   <li>{@code soak.orphans} (256) threads die while holding a ReentrantLock;</li>
 *   <li>{@code soak.stamps} (1000) StampedLock write and read stamps are released by another thread;</li>
 *   <li>one thread holds 64 nested locks, more than the agent's held-lock depth;</li>
 *   <li>on JDK 21+, {@code soak.virtualThreads} (10^4) virtual threads do 10 steps each.</li>
 * </ul>
 * A hang guard ({@code soak.hangSeconds}: 240 s plus 60 s per 10^7 acquisitions beyond the first,
 * 780 s at 10^8) prints the thread dump and exits 3.
 */
public final class Soak {
    static final String TEMPLATE = "SoakLock00000";

    public static void main(String[] args) throws Exception {
        int classes = Integer.getInteger("soak.classes", 1000);
        int threads = Integer.getInteger("soak.threads", 64);
        long acquisitions = Long.getLong("soak.acquisitions", 100_000_000L);
        int orphans = Integer.getInteger("soak.orphans", 256);
        int stamps = Integer.getInteger("soak.stamps", 1000);
        int virtualThreads = Integer.getInteger("soak.virtualThreads", 10_000);
        long hangSeconds = Long.getLong("soak.hangSeconds", 240 + 60 * (Math.max(1, (acquisitions + 9_999_999) / 10_000_000) - 1));
        Thread guard = hangGuard(hangSeconds);

        LongBinaryOperator[] copies = defineCopies(classes);
        long stepsPerThread = acquisitions / 3 / threads;
        AtomicLong thrown = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = 1000L + t;
            Thread w = new Thread(() -> steps(copies, new SplittableRandom(seed), stepsPerThread, thrown), "soak-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long orphaned = orphans(orphans);
        long stamped = stampsReleasedElsewhere(stamps);
        long deep = deepNesting(64);
        long virtualSteps = 0;
        if (Runtime.version().feature() >= 21 && virtualThreads > 0) {
            virtualSteps = virtualThreads(copies, virtualThreads, thrown);
        }

        long checksum = 17;
        for (LongBinaryOperator c : copies) {
            checksum = checksum * 31 + c.applyAsLong(0, 0);
        }
        checksum = checksum * 31 + thrown.get();
        checksum = checksum * 31 + orphaned;
        checksum = checksum * 31 + stamped;
        checksum = checksum * 31 + deep;
        guard.interrupt();

        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println("steps " + (stepsPerThread * threads) + " virtualSteps " + virtualSteps + " thrown " + thrown.get());
        System.out.println("heapAfterGcBytes " + heap);
        System.out.println("checksum " + checksum);
        System.out.println("soak done");
    }

    /** One step: hold copy i's monitor, call copy j > i (two more locks). Sums are commutative. */
    static void steps(LongBinaryOperator[] copies, SplittableRandom random, long steps, AtomicLong thrown) {
        for (long s = 0; s < steps; s++) {
            int i = random.nextInt(copies.length - 1);
            int j = i + 1 + random.nextInt(copies.length - 1 - i);
            long x = random.nextInt(1000);
            long fail = x % 101 == 0 ? 1 : 0;
            synchronized (copies[i]) {
                try {
                    copies[j].applyAsLong(x, fail);
                } catch (IllegalStateException expected) {
                    thrown.incrementAndGet();
                }
            }
        }
    }

    static LongBinaryOperator[] defineCopies(int n) throws Exception {
        byte[] template;
        try (InputStream in = Soak.class.getResourceAsStream(TEMPLATE + ".class")) {
            template = in.readAllBytes();
        }
        byte[] from = TEMPLATE.getBytes(StandardCharsets.US_ASCII);
        LongBinaryOperator[] out = new LongBinaryOperator[n];
        for (int k = 0; k < n; k++) {
            byte[] to = String.format("SoakLock%05d", k + 1).getBytes(StandardCharsets.US_ASCII);
            byte[] bytes = replaceAll(template, from, to);
            String name = Soak.class.getPackageName() + "." + new String(to, StandardCharsets.US_ASCII);
            Class<?> c = new BytesLoader(Soak.class.getClassLoader()).define(name, bytes);
            out[k] = (LongBinaryOperator) c.getDeclaredConstructor().newInstance();
        }
        return out;
    }

    /** Same-length replacement keeps every constant-pool length valid. */
    static byte[] replaceAll(byte[] bytes, byte[] from, byte[] to) {
        byte[] out = bytes.clone();
        outer:
        for (int i = 0; i + from.length <= out.length; i++) {
            for (int k = 0; k < from.length; k++) {
                if (out[i + k] != from[k]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, out, i, to.length);
        }
        return out;
    }

    /** Defines classes from bytes; exposes no resources, as many frameworks' loaders do. */
    static final class BytesLoader extends ClassLoader {
        BytesLoader(ClassLoader parent) {
            super(parent);
        }

        /**
         * The name must be given: Byte Buddy (so the agent) never sees a class defined with a null
         * name, it takes such classes for lambdas and leaves them alone.
         */
        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** Threads that die holding a ReentrantLock (their own, so nobody waits for it). */
    static long orphans(int n) throws InterruptedException {
        AtomicLong locked = new AtomicLong();
        for (int batch = 0; batch < n; batch += 32) {
            List<Thread> ts = new ArrayList<>();
            for (int k = batch; k < Math.min(n, batch + 32); k++) {
                Thread t = new Thread(() -> {
                    ReentrantLock orphanLock = new ReentrantLock();
                    orphanLock.lock();
                    synchronized (orphanLock) {
                        locked.incrementAndGet();
                    }
                    // returns without unlock(): the thread dies holding orphanLock
                }, "soak-orphan-" + k);
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        return locked.get();
    }

    /** StampedLock stamps acquired on this thread and released on another. */
    static long stampsReleasedElsewhere(int n) throws Exception {
        StampedLock stampedLock = new StampedLock();
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "soak-stamp-releaser"));
        long released = 0;
        try {
            for (int k = 0; k < n; k++) {
                boolean write = k % 2 == 0;
                long stamp = write ? stampedLock.writeLock() : stampedLock.readLock();
                Future<Boolean> f = other.submit(() -> {
                    if (write) {
                        stampedLock.unlockWrite(stamp);
                    } else {
                        stampedLock.unlockRead(stamp);
                    }
                    return true;
                });
                if (f.get()) {
                    released++;
                }
            }
        } finally {
            other.shutdown();
        }
        return released;
    }

    /** Holds {@code depth} locks at once, more than the agent tracks per thread. */
    static long deepNesting(int depth) {
        ReentrantLock[] locks = new ReentrantLock[depth];
        for (int k = 0; k < depth; k++) {
            locks[k] = new ReentrantLock();
        }
        long held = 0;
        for (int round = 0; round < 10; round++) {
            for (ReentrantLock l : locks) {
                l.lock();
                held++;
            }
            for (int k = depth - 1; k >= 0; k--) {
                locks[k].unlock();
            }
        }
        return held;
    }

    /** JDK 21+ only, by reflection since this compiles for 17. */
    static long virtualThreads(LongBinaryOperator[] copies, int n, AtomicLong thrown) throws Exception {
        Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        AtomicLong done = new AtomicLong();
        ExecutorService vts = (ExecutorService) factory.invoke(null);
        try {
            for (int k = 0; k < n; k++) {
                long seed = 1_000_000L + k;
                vts.submit(() -> {
                    steps(copies, new SplittableRandom(seed), 10, thrown);
                    done.addAndGet(10);
                });
            }
        } finally {
            vts.shutdown();
        }
        if (!vts.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("virtual threads did not finish");
        }
        return done.get();
    }

    static Thread hangGuard(long seconds) {
        Thread guard = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            } catch (InterruptedException finished) {
                return;
            }
            System.out.println("HANG: soak still running after " + seconds + "s");
            for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                System.out.print(ti);
            }
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "soak-hang-guard");
        guard.setDaemon(true);
        guard.start();
        return guard;
    }

    private Soak() {}
}
