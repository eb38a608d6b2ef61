package io.lockdep4j.tests.workloads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Workloads for the agent's online check (option onCycle), run in their own JVM under the agent.
 * Each prints markers on stderr after the acquisition that closes a cycle, so that a test can see
 * that the agent's report came at that moment, not at exit; with onCycle=throw each acquisition kind
 * checks, itself, what it holds after the exception and that it can then take both locks.
 */
public final class OnlineScenarios {
    private OnlineScenarios() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        switch (name) {
            case "report-inversion": reportInversion(); break;
            case "report-virtual": reportVirtual(); break;
            case "consistent": consistent(); break;
            case "throw-all": throwAll(); break;
            case "until-stopped": untilStopped(args[1]); break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("online scenario " + name + " done");
    }

    static void inThread(String name, ThrowingRunnable r) throws InterruptedException {
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, name);
        t.start();
        t.join();
        if (failed[0] != null) {
            throw new AssertionError(name + " failed", failed[0]);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- report: one inversion, a marker right after the closing acquisition

    public static final class Volumes {
        final ReentrantLock volumeLock = new ReentrantLock();
        final Object mountLock = new Object();
    }

    static void reportInversion() throws InterruptedException {
        Volumes v = new Volumes();
        inThread("mounter", () -> {
            v.volumeLock.lock();
            try {
                synchronized (v.mountLock) {
                    Thread.onSpinWait();
                }
            } finally {
                v.volumeLock.unlock();
            }
        });
        inThread("unmounter", () -> {
            synchronized (v.mountLock) {
                v.volumeLock.lock(); // closes the cycle: the agent reports here
                v.volumeLock.unlock();
            }
            System.err.println("MARK after the closing acquisition");
            System.err.flush();
        });
        System.err.println("MARK program still running");
        System.err.flush();
    }

    /** JDK 21+: both orders on virtual threads. */
    static void reportVirtual() throws Exception {
        Volumes v = new Volumes();
        ExecutorService vts = (ExecutorService) java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        vts.submit(() -> {
            v.volumeLock.lock();
            try {
                synchronized (v.mountLock) {
                    Thread.onSpinWait();
                }
            } finally {
                v.volumeLock.unlock();
            }
        }).get();
        vts.submit(() -> {
            synchronized (v.mountLock) {
                v.volumeLock.lock();
                v.volumeLock.unlock();
            }
            System.err.println("MARK after the closing acquisition");
            System.err.flush();
        }).get();
        vts.shutdown();
    }

    /** The safe twin: the same locks, always in one order, on two threads. */
    static void consistent() throws InterruptedException {
        Volumes v = new Volumes();
        for (String t : new String[] {"first", "second"}) {
            inThread(t, () -> {
                v.volumeLock.lock();
                try {
                    synchronized (v.mountLock) {
                        Thread.onSpinWait();
                    }
                } finally {
                    v.volumeLock.unlock();
                }
            });
        }
        System.err.println("MARK program still running");
    }

    // ---- throw: every acquisition kind that can wait

    public static final class Locks {
        final ReentrantLock lockA = new ReentrantLock();
        final ReentrantLock lockB = new ReentrantLock();
        final ReentrantLock interruptiblyA = new ReentrantLock();
        final ReentrantLock interruptiblyB = new ReentrantLock();
        final ReentrantReadWriteLock rwWrite = new ReentrantReadWriteLock();
        final ReentrantLock rwWritePartner = new ReentrantLock();
        final ReentrantReadWriteLock rwRead = new ReentrantReadWriteLock();
        final ReentrantLock rwReadPartner = new ReentrantLock();
        final StampedLock stamped = new StampedLock();
        final ReentrantLock stampedPartner = new ReentrantLock();
        final Object monitorA = new Object();
        final Object monitorB = new Object();
        final Object methodGuard = new Object();
        final Directory directory = new Directory();
        final ReentrantLock tryA = new ReentrantLock();
        final ReentrantLock tryB = new ReentrantLock();
    }

    /** A synchronized method whose entry closes the cycle. */
    public static final class Directory {
        synchronized void enter(ThrowingRunnable inside) throws Exception {
            inside.run();
        }
    }

    static boolean isViolation(Throwable t) {
        return t instanceof IllegalStateException
                && "io.lockdep4j.agent.bootstrap.LockOrderViolationException".equals(t.getClass().getName());
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static void throwAll() throws Exception {
        Locks l = new Locks();
        // ReentrantLock.lock
        inThread("lock-order-1", () -> { l.lockA.lock(); l.lockB.lock(); l.lockB.unlock(); l.lockA.unlock(); });
        inThread("lock-order-2", () -> {
            l.lockB.lock();
            try {
                for (int attempt = 1; attempt <= 2; attempt++) { // throws every time, not only the first
                    try {
                        l.lockA.lock();
                        throw new AssertionError("lock: no exception on attempt " + attempt);
                    } catch (IllegalStateException e) {
                        check(isViolation(e), "lock: " + e);
                        check(!l.lockA.isHeldByCurrentThread() && !l.lockA.isLocked(), "lock: lockA held after the exception");
                        check(l.lockB.isHeldByCurrentThread(), "lock: lockB no longer held");
                    }
                }
            } finally {
                l.lockB.unlock();
            }
            l.lockA.lock(); l.lockB.lock(); l.lockB.unlock(); l.lockA.unlock();
            System.err.println("KIND lock: threw, nothing taken, both taken after");
        });
        // ReentrantLock.lockInterruptibly
        inThread("interruptibly-1", () -> {
            l.interruptiblyA.lockInterruptibly(); l.interruptiblyB.lockInterruptibly();
            l.interruptiblyB.unlock(); l.interruptiblyA.unlock();
        });
        inThread("interruptibly-2", () -> {
            l.interruptiblyB.lockInterruptibly();
            try {
                l.interruptiblyA.lockInterruptibly();
                throw new AssertionError("lockInterruptibly: no exception");
            } catch (IllegalStateException e) {
                check(isViolation(e), "lockInterruptibly: " + e);
                check(!l.interruptiblyA.isLocked(), "lockInterruptibly: A held after the exception");
            } finally {
                l.interruptiblyB.unlock();
            }
            l.interruptiblyA.lockInterruptibly(); l.interruptiblyB.lock(); l.interruptiblyB.unlock(); l.interruptiblyA.unlock();
            System.err.println("KIND lockInterruptibly: threw, nothing taken, both taken after");
        });
        // ReentrantReadWriteLock write half
        inThread("rw-write-1", () -> {
            l.rwWrite.writeLock().lock(); l.rwWritePartner.lock(); l.rwWritePartner.unlock(); l.rwWrite.writeLock().unlock();
        });
        inThread("rw-write-2", () -> {
            l.rwWritePartner.lock();
            try {
                l.rwWrite.writeLock().lock();
                throw new AssertionError("rw write: no exception");
            } catch (IllegalStateException e) {
                check(isViolation(e), "rw write: " + e);
                check(!l.rwWrite.isWriteLocked(), "rw write: write lock held after the exception");
            } finally {
                l.rwWritePartner.unlock();
            }
            l.rwWrite.writeLock().lock(); l.rwWritePartner.lock(); l.rwWritePartner.unlock(); l.rwWrite.writeLock().unlock();
            System.err.println("KIND rwWrite: threw, nothing taken, both taken after");
        });
        // ReentrantReadWriteLock read half: read on both sides of rwRead, which is write-locked somewhere
        inThread("rw-writer", () -> { l.rwRead.writeLock().lock(); l.rwRead.writeLock().unlock(); });
        inThread("rw-read-1", () -> {
            l.rwRead.readLock().lock(); l.rwReadPartner.lock(); l.rwReadPartner.unlock(); l.rwRead.readLock().unlock();
        });
        inThread("rw-read-2", () -> {
            l.rwReadPartner.lock();
            try {
                l.rwRead.readLock().lock();
                throw new AssertionError("rw read: no exception");
            } catch (IllegalStateException e) {
                check(isViolation(e), "rw read: " + e);
                check(l.rwRead.getReadLockCount() == 0, "rw read: read lock held after the exception");
            } finally {
                l.rwReadPartner.unlock();
            }
            l.rwRead.readLock().lock(); l.rwReadPartner.lock(); l.rwReadPartner.unlock(); l.rwRead.readLock().unlock();
            System.err.println("KIND rwRead: threw, nothing taken, both taken after");
        });
        // StampedLock write
        inThread("stamped-1", () -> {
            long s = l.stamped.writeLock(); l.stampedPartner.lock(); l.stampedPartner.unlock(); l.stamped.unlockWrite(s);
        });
        inThread("stamped-2", () -> {
            l.stampedPartner.lock();
            try {
                l.stamped.writeLock();
                throw new AssertionError("stamped: no exception");
            } catch (IllegalStateException e) {
                check(isViolation(e), "stamped: " + e);
                check(!l.stamped.isWriteLocked(), "stamped: write lock held after the exception");
            } finally {
                l.stampedPartner.unlock();
            }
            long s = l.stamped.writeLock(); l.stampedPartner.lock(); l.stampedPartner.unlock(); l.stamped.unlockWrite(s);
            System.err.println("KIND stamped: threw, nothing taken, both taken after");
        });
        // synchronized blocks: the hook runs before MONITORENTER
        inThread("monitor-1", () -> { synchronized (l.monitorA) { synchronized (l.monitorB) { Thread.onSpinWait(); } } });
        inThread("monitor-2", () -> {
            synchronized (l.monitorB) {
                try {
                    synchronized (l.monitorA) {
                        throw new AssertionError("monitor: no exception");
                    }
                } catch (IllegalStateException e) {
                    check(isViolation(e), "monitor: " + e);
                    check(!Thread.holdsLock(l.monitorA), "monitor: monitorA held after the exception");
                    check(Thread.holdsLock(l.monitorB), "monitor: monitorB no longer held");
                }
            }
            synchronized (l.monitorA) { synchronized (l.monitorB) { Thread.onSpinWait(); } }
            System.err.println("KIND monitor: threw, nothing taken, both taken after");
        });
        // a synchronized method: the JVM holds the monitor when the enter advice runs; the exception releases it
        inThread("method-1", () -> l.directory.enter(() -> { synchronized (l.methodGuard) { Thread.onSpinWait(); } }));
        inThread("method-2", () -> {
            synchronized (l.methodGuard) {
                try {
                    l.directory.enter(() -> { throw new AssertionError("synchronized method: body ran"); });
                    throw new AssertionError("synchronized method: no exception");
                } catch (IllegalStateException e) {
                    check(isViolation(e), "synchronized method: " + e);
                    check(!Thread.holdsLock(l.directory), "synchronized method: directory held after the exception");
                }
            }
            l.directory.enter(() -> { synchronized (l.methodGuard) { Thread.onSpinWait(); } });
            System.err.println("KIND synchronizedMethod: threw, nothing taken, both taken after");
        });
        // tryLock never waits: it closes no cycle and never throws
        inThread("try-1", () -> { l.tryA.lock(); l.tryB.lock(); l.tryB.unlock(); l.tryA.unlock(); });
        inThread("try-2", () -> {
            l.tryB.lock();
            try {
                check(l.tryA.tryLock(), "tryLock failed");
                l.tryA.unlock();
            } finally {
                l.tryB.unlock();
            }
            System.err.println("KIND tryLock: no exception");
        });
    }

    // ---- for watch: switch the hazard on when a file appears, until a stop file appears (at most 120 s)

    static void untilStopped(String dir) throws InterruptedException {
        java.io.File hazard = new java.io.File(dir, "hazard-on");
        java.io.File stop = new java.io.File(dir, "stop");
        System.out.println("ready");
        System.out.flush();
        Volumes v = new Volumes();
        Tables t = new Tables();
        long end = System.currentTimeMillis() + 120_000;
        while (!stop.exists() && System.currentTimeMillis() < end) {
            // one call per request, as a server's handlers: a method already running when the agent
            // is attached keeps its old code, the next call runs the instrumented one
            mount(v);
            scan(t);
            if (hazard.exists()) {
                inThread("unmounter", () -> unmount(v));
                inThread("evictor", () -> evict(t));
            }
            Thread.sleep(20);
        }
    }

    static void mount(Volumes v) {
        v.volumeLock.lock();
        try {
            synchronized (v.mountLock) {
                Thread.onSpinWait();
            }
        } finally {
            v.volumeLock.unlock();
        }
    }

    static void unmount(Volumes v) {
        synchronized (v.mountLock) {
            v.volumeLock.lock();
            v.volumeLock.unlock();
        }
    }

    /**
     * Two fields' locks, created before the attach and first locked nested in one method (the
     * sample NFS server's reaper, when it runs before any request): two lock classes, so that
     * the other order, in evict, is a cycle and not a self-edge.
     */
    public static final class Tables {
        final ReentrantLock exportsLock = new ReentrantLock();
        final ReentrantLock clientsLock = new ReentrantLock();
    }

    static void scan(Tables t) {
        t.exportsLock.lock();
        try {
            t.clientsLock.lock();
            t.clientsLock.unlock();
        } finally {
            t.exportsLock.unlock();
        }
    }

    static void evict(Tables t) {
        t.clientsLock.lock();
        try {
            t.exportsLock.lock();
            t.exportsLock.unlock();
        } finally {
            t.clientsLock.unlock();
        }
    }
}
