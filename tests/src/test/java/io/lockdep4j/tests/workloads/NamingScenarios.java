package io.lockdep4j.tests.workloads;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Programs for the lock-naming rules (issue 21.1/21.2, 15.4): lock wrappers (Jetty's AutoLock
 * shape), lock subclasses, base-class lock fields in two pool roles (Commons Pool / DBCP shape),
 * and lock containers (a Striped-like class, an array, a map). Both orders of an inversion run at
 * different times, one thread after the other, so nothing deadlocks.
 * {@code java -cp test-classes io.lockdep4j.tests.workloads.NamingScenarios NAME}.
 */
public final class NamingScenarios {
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        switch (name) {
            case "wrapper-inverted": wrappers(true); break;
            case "wrapper-one-order": wrappers(false); break;
            case "wrapped-subclass-inverted": wrappedSubclass(true); break;
            case "wrapped-subclass-one-order": wrappedSubclass(false); break;
            case "pool-two-level": poolTwoLevel(); break;
            case "pool-inversion": poolInversion(true); break;
            case "pool-one-order": poolInversion(false); break;
            case "containers-inverted": containers(true); break;
            case "containers-one-order": containers(false); break;
            case "subclass-field-inverted": subclassField(true); break;
            case "subclass-field-one-order": subclassField(false); break;
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

    // ---- 21.1: a lock wrapper (Jetty's AutoLock: a ReentrantLock in a private field, try-with-resources)

    public static final class AutoLockLike implements AutoCloseable {
        private final ReentrantLock _lock = new ReentrantLock();

        public AutoLockLike lock() {
            _lock.lock();
            return this;
        }

        @Override
        public void close() {
            _lock.unlock();
        }
    }

    public static final class Registry {
        final AutoLockLike lock = new AutoLockLike();
        final Map<String, String> entries = new HashMap<>();
    }

    public static final class Session {
        final AutoLockLike lock = new AutoLockLike();
        String user;
    }

    static void wrappers(boolean inverted) throws InterruptedException {
        Registry registry = new Registry();
        Session session = new Session();
        inSequence(() -> {
            try (AutoLockLike r = registry.lock.lock(); AutoLockLike s = session.lock.lock()) {
                registry.entries.put("a", "b");
            }
        }, () -> {
            if (inverted) {
                try (AutoLockLike s = session.lock.lock(); AutoLockLike r = registry.lock.lock()) {
                    session.user = "u";
                }
            } else {
                try (AutoLockLike r = registry.lock.lock(); AutoLockLike s = session.lock.lock()) {
                    session.user = "u";
                }
            }
        });
    }

    // ---- a wrapper around a ReentrantLock subclass, one made by a factory method

    public static final class CountingLock extends ReentrantLock {
        int acquisitions;

        @Override
        public void lock() {
            super.lock();
            acquisitions++;
        }
    }

    public static final class Guard {
        private final CountingLock inner = new CountingLock();

        void run(Runnable r) {
            inner.lock();
            try {
                r.run();
            } finally {
                inner.unlock();
            }
        }

        static Guard create() {
            return new Guard();
        }
    }

    public static final class Catalog {
        final Guard guard = new Guard();
    }

    public static final class Index {
        final Guard guard;

        Index() {
            guard = Guard.create();
        }
    }

    static void wrappedSubclass(boolean inverted) throws InterruptedException {
        Catalog catalog = new Catalog();
        Index index = new Index();
        inSequence(() -> catalog.guard.run(() -> index.guard.run(NamingScenarios::work)), () -> {
            if (inverted) {
                index.guard.run(() -> catalog.guard.run(NamingScenarios::work));
            } else {
                catalog.guard.run(() -> index.guard.run(NamingScenarios::work));
            }
        });
    }

    // ---- 21.2: one base-class field, two roles (a connection pool and each connection's statement pool)

    public abstract static class BasePool {
        final Object closeLock = new Object();
        final ReentrantLock evictionLock = new ReentrantLock();

        /** The evictor: holds the eviction lock, checks whether the pool is closed. */
        void evict() {
            evictionLock.lock();
            try {
                synchronized (closeLock) {
                    work();
                }
            } finally {
                evictionLock.unlock();
            }
        }

        /** Closing: holds the close lock while it closes what the pool owns. */
        void close(Runnable owned) {
            synchronized (closeLock) {
                owned.run();
            }
        }

        /** Stops the evictor: takes the eviction lock. */
        void stopEvictor() {
            evictionLock.lock();
            evictionLock.unlock();
        }
    }

    public static final class ConnectionPool extends BasePool {}

    public static final class StatementPool extends BasePool {}

    public static final class PooledConnection {
        final StatementPool statements = new StatementPool();
    }

    static void poolTwoLevel() throws InterruptedException {
        ConnectionPool pool = new ConnectionPool();
        PooledConnection[] connections = {new PooledConnection(), new PooledConnection()};
        inSequence(() -> {
            for (PooledConnection c : connections) {
                c.statements.evict();
            }
            pool.evict();
        }, () -> pool.close(() -> {
            for (PooledConnection c : connections) {
                c.statements.stopEvictor();
            }
        }));
    }

    public static final class Stats {
        final ReentrantLock statsLock = new ReentrantLock();
    }

    /** Two statement pools (one role): one path holds a pool's eviction lock, then the stats; the other the reverse. */
    static void poolInversion(boolean inverted) throws InterruptedException {
        PooledConnection first = new PooledConnection();
        PooledConnection second = new PooledConnection();
        Stats stats = new Stats();
        inSequence(() -> {
            first.statements.evictionLock.lock();
            try {
                stats.statsLock.lock();
                stats.statsLock.unlock();
            } finally {
                first.statements.evictionLock.unlock();
            }
        }, () -> {
            if (inverted) {
                stats.statsLock.lock();
                try {
                    second.statements.stopEvictor();
                } finally {
                    stats.statsLock.unlock();
                }
            } else {
                second.statements.evictionLock.lock();
                try {
                    stats.statsLock.lock();
                    stats.statsLock.unlock();
                } finally {
                    second.statements.evictionLock.unlock();
                }
            }
        });
    }

    // ---- 15.4: locks in containers (a Striped-like class, an array, a map)

    public static final class StripedLocks {
        private final ReentrantLock[] locks;

        StripedLocks(int n) {
            locks = new ReentrantLock[n];
            for (int i = 0; i < n; i++) {
                locks[i] = new ReentrantLock();
            }
        }

        ReentrantLock get(Object key) {
            return locks[Math.floorMod(key.hashCode(), locks.length)];
        }
    }

    public static final class FileTracker {
        final StripedLocks filesLock = new StripedLocks(4);
        final ReentrantLock[] stripes = new ReentrantLock[4];
        final ConcurrentHashMap<String, ReentrantLock> byName = new ConcurrentHashMap<>();
        final Object metaLock = new Object();
        int opened;

        FileTracker() {
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new ReentrantLock();
            }
        }

        ReentrantLock forName(String name) {
            return byName.computeIfAbsent(name, n -> new ReentrantLock());
        }

        ReentrantLock stripe(String name) {
            return stripes[Math.floorMod(name.hashCode(), stripes.length)];
        }
    }

    static void containerThenMeta(FileTracker t, ReentrantLock l) {
        l.lock();
        try {
            synchronized (t.metaLock) {
                t.opened++;
            }
        } finally {
            l.unlock();
        }
    }

    static void metaThenContainer(FileTracker t, ReentrantLock l) {
        synchronized (t.metaLock) {
            l.lock();
            try {
                t.opened++;
            } finally {
                l.unlock();
            }
        }
    }

    static void containers(boolean inverted) throws InterruptedException {
        FileTracker t = new FileTracker();
        inSequence(() -> {
            containerThenMeta(t, t.filesLock.get("a"));
            containerThenMeta(t, t.stripe("a"));
            containerThenMeta(t, t.forName("a"));
        }, () -> {
            // other instances of the same roles: other stripes, other names
            ReentrantLock[] others = {t.filesLock.get("b"), t.stripe("b"), t.forName("b")};
            for (ReentrantLock l : others) {
                if (inverted) {
                    metaThenContainer(t, l);
                } else {
                    containerThenMeta(t, l);
                }
            }
        });
    }

    // ---- 15.4: a ReentrantLock subclass in a field, locked from several methods

    public static final class InterruptibleLock extends ReentrantLock {
        InterruptibleLock(boolean fair) {
            super(fair);
        }
    }

    public static final class Deque {
        private final InterruptibleLock lock = new InterruptibleLock(false);
        private int size;

        void putFirst(Object other) {
            lock.lock();
            try {
                synchronized (other) {
                    size++;
                }
            } finally {
                lock.unlock();
            }
        }

        int pollFirst() {
            lock.lock();
            try {
                return size > 0 ? size-- : 0;
            } finally {
                lock.unlock();
            }
        }

        int size() {
            lock.lock();
            try {
                return size;
            } finally {
                lock.unlock();
            }
        }
    }

    public static final class Listeners {
        final Object listenersLock = new Object();
    }

    /** Two deques, each first locked by a different method; the second order goes through pollFirst. */
    static void subclassField(boolean inverted) throws InterruptedException {
        Deque first = new Deque();
        Deque second = new Deque();
        Listeners listeners = new Listeners();
        second.size();
        inSequence(() -> first.putFirst(listeners.listenersLock), () -> {
            if (inverted) {
                synchronized (listeners.listenersLock) {
                    second.pollFirst();
                }
            } else {
                second.putFirst(listeners.listenersLock);
            }
        });
    }

    static void work() {
        Thread.onSpinWait();
    }
}
