package io.lockdep4j.tests.workloads;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Small programs the end-to-end tests run in a real JVM under the real agent:
 * {@code java -cp test-classes io.lockdep4j.tests.workloads.Scenarios NAME}. The two orders of an
 * inversion run at different times (one thread is joined before the other starts), so nothing
 * deadlocks unless the scenario is meant to.
 */
public final class Scenarios {
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        switch (name) {
            case "inversion-reentrant": inversionReentrant(); break;
            case "inversion-rwlock": inversionRwLock(); break;
            case "inversion-synchronized": inversionSynchronized(); break;
            case "read-only": readOnly(false); break;
            case "read-with-writer": readOnly(true); break;
            case "gated": gated(); break;
            case "single-thread": singleThread(); break;
            case "deadlock": deadlock(); break;
            case "hot-loop": hotLoop(); break;
            case "hashtable": hashtable(); break;
            case "jdk-monitors-in-locals": jdkMonitorsInLocals(); break;
            case "consistent-order": consistentOrder(); break;
            case "virtual-threads": virtualThreads(); break;
            case "until-stopped": untilStopped(args[1]); break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    static void inSequence(Runnable first, Runnable second) throws InterruptedException {
        Thread a = new Thread(first, "first-order");
        a.start();
        a.join();
        Thread b = new Thread(second, "second-order");
        b.start();
        b.join();
    }

    // ---- a ReentrantLock kept in one class, a monitor in another: the lock classes are the fields

    public static final class ExportTable {
        final ReentrantLock exportLock = new ReentrantLock();
    }

    public static final class ClientTable {
        final Object clientsLock = new Object();
    }

    static void inversionReentrant() throws InterruptedException {
        ExportTable exports = new ExportTable();
        ClientTable clients = new ClientTable();
        inSequence(() -> {
            exports.exportLock.lock();
            try {
                synchronized (clients.clientsLock) {
                    work();
                }
            } finally {
                exports.exportLock.unlock();
            }
        }, () -> {
            synchronized (clients.clientsLock) {
                exports.exportLock.lock();
                try {
                    work();
                } finally {
                    exports.exportLock.unlock();
                }
            }
        });
    }

    // ---- a rw-lock's write half against a ReentrantLock

    public static final class StateTable {
        final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
        final ReentrantLock seqLock = new ReentrantLock();
    }

    static void inversionRwLock() throws InterruptedException {
        StateTable t = new StateTable();
        inSequence(() -> {
            t.stateLock.writeLock().lock();
            try {
                t.seqLock.lock();
                t.seqLock.unlock();
            } finally {
                t.stateLock.writeLock().unlock();
            }
        }, () -> {
            t.seqLock.lock();
            try {
                t.stateLock.writeLock().lock();
                t.stateLock.writeLock().unlock();
            } finally {
                t.seqLock.unlock();
            }
        });
    }

    // ---- synchronized methods calling each other: lock classes are the objects' classes

    public static final class Inode {
        Dentry alias;
        synchronized void setAttr() { alias.touch(); }
        synchronized void touch() { work(); }
    }

    public static final class Dentry {
        Inode inode;
        synchronized void rename() { inode.touch(); }
        synchronized void touch() { work(); }
    }

    static void inversionSynchronized() throws InterruptedException {
        Inode i = new Inode();
        Dentry d = new Dentry();
        i.alias = d;
        d.inode = i;
        inSequence(i::setAttr, d::rename);
    }

    // ---- read-read opposite orders: harmless unless someone write-locks

    public static final class Caches {
        final ReentrantReadWriteLock attrLock = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock nameLock = new ReentrantReadWriteLock();
    }

    static void readOnly(boolean withWriter) throws InterruptedException {
        Caches c = new Caches();
        inSequence(() -> {
            c.attrLock.readLock().lock();
            c.nameLock.readLock().lock();
            c.nameLock.readLock().unlock();
            c.attrLock.readLock().unlock();
        }, () -> {
            c.nameLock.readLock().lock();
            c.attrLock.readLock().lock();
            c.attrLock.readLock().unlock();
            c.nameLock.readLock().unlock();
        });
        if (withWriter) {
            // a queued writer on each lock makes new readers wait: then the read-read cycle can deadlock
            Thread w = new Thread(() -> {
                c.attrLock.writeLock().lock();
                c.attrLock.writeLock().unlock();
                c.nameLock.writeLock().lock();
                c.nameLock.writeLock().unlock();
            }, "cache-writer");
            w.start();
            w.join();
        }
    }

    // ---- both orders under one gate instance: cannot deadlock

    public static final class Gated {
        final ReentrantLock gateLock = new ReentrantLock();
        final Object leftLock = new Object();
        final Object rightLock = new Object();
    }

    static void gated() throws InterruptedException {
        Gated g = new Gated();
        inSequence(() -> {
            g.gateLock.lock();
            try {
                synchronized (g.leftLock) { synchronized (g.rightLock) { work(); } }
            } finally {
                g.gateLock.unlock();
            }
        }, () -> {
            g.gateLock.lock();
            try {
                synchronized (g.rightLock) { synchronized (g.leftLock) { work(); } }
            } finally {
                g.gateLock.unlock();
            }
        });
    }

    // ---- both orders on one thread

    public static final class Journal {
        final ReentrantLock journalLock = new ReentrantLock();
        final ReentrantLock commitLock = new ReentrantLock();
    }

    static void singleThread() {
        Journal j = new Journal();
        j.journalLock.lock();
        j.commitLock.lock();
        j.commitLock.unlock();
        j.journalLock.unlock();
        j.commitLock.lock();
        j.journalLock.lock();
        j.journalLock.unlock();
        j.commitLock.unlock();
    }

    // ---- a real deadlock: the program hangs until it is stopped

    public static final class Accounts {
        final ReentrantLock debitLock = new ReentrantLock();
        final Object creditLock = new Object();
    }

    static void deadlock() throws InterruptedException {
        Accounts a = new Accounts();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread t1 = new Thread(() -> {
            a.debitLock.lock();
            try {
                bothHoldOne.countDown();
                awaitQuietly(bothHoldOne);
                synchronized (a.creditLock) { work(); }
            } finally {
                a.debitLock.unlock();
            }
        }, "debit-first");
        Thread t2 = new Thread(() -> {
            synchronized (a.creditLock) {
                bothHoldOne.countDown();
                awaitQuietly(bothHoldOne);
                a.debitLock.lock();
                a.debitLock.unlock();
            }
        }, "credit-first");
        t1.start();
        t2.start();
        System.out.println("deadlock scenario started");
        t1.join();
        t2.join();
    }

    // ---- many acquisitions over a handful of known edges

    public static final class HotPath {
        final ReentrantLock outerLock = new ReentrantLock();
        final Object innerLock = new Object();
        final ReentrantReadWriteLock tableLock = new ReentrantReadWriteLock();
        long counter;
    }

    static void hotLoop() {
        HotPath h = new HotPath();
        for (int i = 0; i < 1_000_000; i++) {
            h.outerLock.lock();
            try {
                synchronized (h.innerLock) {
                    h.tableLock.readLock().lock();
                    h.counter++;
                    h.tableLock.readLock().unlock();
                }
            } finally {
                h.outerLock.unlock();
            }
        }
        System.out.println("counter " + h.counter);
    }

    // ---- synchronized JDK methods: Hashtable.put locks the table inside the JDK

    public static final class Registry {
        final Hashtable<String, String> byName = new Hashtable<>();
        final Hashtable<String, String> byId = new Hashtable<>();
    }

    static void hashtable() throws InterruptedException {
        Registry r = new Registry();
        inSequence(() -> {
            synchronized (r.byName) { r.byId.put("1", "a"); }
        }, () -> {
            synchronized (r.byId) { r.byName.put("a", "1"); }
        });
    }

    // ---- JDK-typed monitors reached through a local or a getter (Apache SSHD's SecurityUtils and
    // ---- AbstractSecurityProviderRegistrar each lock TreeMaps they keep in other maps)

    public static final class SharedRegistry {
        final ReentrantLock registryLock = new ReentrantLock();
    }

    /** Locks its own TreeMaps (made in a lambda, kept in another map), then the shared lock. */
    public static final class ProviderCache {
        private final Map<String, TreeMap<String, String>> byType = new HashMap<>();

        void resolve(SharedRegistry shared) {
            TreeMap<String, String> factories = byType.computeIfAbsent("digest", k -> new TreeMap<>());
            synchronized (factories) {
                shared.registryLock.lock();
                try { factories.put("sha256", "provider"); } finally { shared.registryLock.unlock(); }
            }
        }
    }

    /** Takes the shared lock, then locks its own, different TreeMaps: no deadlock with ProviderCache. */
    public static final class SupportCache {
        private final Map<String, TreeMap<String, Boolean>> byType = new HashMap<>();

        void check(SharedRegistry shared) {
            shared.registryLock.lock();
            try {
                TreeMap<String, Boolean> support = byType.computeIfAbsent("digest", k -> new TreeMap<>());
                synchronized (support) { support.put("sha256", true); }
            } finally {
                shared.registryLock.unlock();
            }
        }
    }

    /** One TreeMap reached through a getter, locked in both orders against another lock: a real inversion. */
    public static final class Directory {
        private final Map<String, TreeMap<String, String>> tables = new HashMap<>();
        final Object renameLock = new Object();

        TreeMap<String, String> entries() {
            return tables.computeIfAbsent("root", k -> new TreeMap<>());
        }

        void link() {
            synchronized (entries()) { synchronized (renameLock) { work(); } }
        }

        void rename() {
            synchronized (renameLock) { synchronized (entries()) { work(); } }
        }
    }

    static void jdkMonitorsInLocals() throws InterruptedException {
        SharedRegistry shared = new SharedRegistry();
        ProviderCache providers = new ProviderCache();
        SupportCache support = new SupportCache();
        inSequence(() -> providers.resolve(shared), () -> support.check(shared));
        Directory dir = new Directory();
        inSequence(dir::link, dir::rename);
    }

    // ---- the safe twin of inversion-reentrant: one order everywhere

    static void consistentOrder() throws InterruptedException {
        ExportTable exports = new ExportTable();
        ClientTable clients = new ClientTable();
        Runnable ordered = () -> {
            exports.exportLock.lock();
            try {
                synchronized (clients.clientsLock) { work(); }
            } finally {
                exports.exportLock.unlock();
            }
        };
        inSequence(ordered, ordered);
    }

    // ---- JDK 21+: the inversion on virtual threads

    public static final class Mounts {
        final ReentrantLock mountLock = new ReentrantLock();
        final ReentrantLock superblockLock = new ReentrantLock();
    }

    static void virtualThreads() throws Exception {
        Mounts m = new Mounts();
        ExecutorService vts = (ExecutorService) java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        for (int i = 0; i < 1000; i++) {
            boolean forward = i % 2 == 0;
            vts.submit(() -> {
                ReentrantLock first = forward ? m.mountLock : m.superblockLock;
                ReentrantLock second = forward ? m.superblockLock : m.mountLock;
                if (!first.tryLock(1, TimeUnit.SECONDS)) {
                    return null;
                }
                try {
                    // timed tryLock cannot deadlock; take the second lock blocking only in one order
                    if (forward) {
                        second.lock();
                        second.unlock();
                    }
                } finally {
                    first.unlock();
                }
                return null;
            }).get();
        }
        // the reverse order, blocking, on another virtual thread
        vts.submit(() -> {
            m.superblockLock.lock();
            try {
                m.mountLock.lock();
                m.mountLock.unlock();
            } finally {
                m.superblockLock.unlock();
            }
        }).get();
        vts.shutdown();
    }

    // ---- for attach: repeat the inversion until a stop file appears (at most 60 s)

    static void untilStopped(String stopFile) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        long end = System.currentTimeMillis() + 60_000;
        while (!new java.io.File(stopFile).exists() && System.currentTimeMillis() < end) {
            inversionReentrant();
            Thread.sleep(50);
        }
    }

    static void work() {
        Thread.onSpinWait();
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
