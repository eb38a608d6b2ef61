package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.SignalEvent;
import io.lockdep4j.events.WaitWhileHoldingEvent;

/**
 * Waits while holding locks, and the signals that end them (WaitAdvice, ConditionInstrumentation,
 * CountDownLatch/Semaphore/FutureTask/CompletableFuture/Thread.join instrumentations): a wait that
 * can block while this thread holds a lock (other than the one a condition wait gives up) is a
 * WaitWhileHolding event when it ends, or at shutdown if it never does (WaitsInProgress); a signal on
 * an object that some thread waited on while holding locks is a Signal event. Without locks held a
 * wait is a thread-record read (ThreadRecords); with nothing ever waited on a signal is one volatile read.
 */
public final class WaitHooks {
    private WaitHooks() {}

    public static final int WAIT_CONDITION = 0;
    public static final int WAIT_LATCH = 1;
    public static final int WAIT_FUTURE = 2;
    public static final int WAIT_COMPLETABLE = 3;
    public static final int WAIT_JOIN = 4;
    public static final int WAIT_SEMAPHORE = 5;
    public static final int WAIT_MONITOR = 6;
    public static final int WAIT_TERMINATION = 7;
    public static final int WAIT_SLEEP = 8;

    static final String OBJECT = "java.lang.Object";

    /** A wait inside another wait on this thread (a timed wait calling an untimed one). */
    static final Object NESTED = new Object();
    /** A wait that cannot block (already counted down, done, ...) or holds no other lock. */
    static final Object SUPPRESSED = new Object();

    private static final WaitWhileHoldingEvent WAIT_PROBE = new WaitWhileHoldingEvent();
    private static final SignalEvent SIGNAL_PROBE = new SignalEvent();

    /** Objects some thread waited on while holding locks → Boolean.TRUE. */
    static final WeakIdentityTable WAITED = new WeakIdentityTable(64, 1 << 12);
    /** Condition objects → the ReentrantLock that created them. */
    static final WeakIdentityTable CONDITIONS = new WeakIdentityTable(256, 1 << 16);

    /** ReentrantLock.newCondition: remembers which lock owns the condition (await releases it). */
    public static void conditionCreated(Object lock, Object condition) {
        HeldLocks h = HookGuard.enterFor(condition);
        if (h == null) {
            return;
        }
        try {
            CONDITIONS.put(condition, lock);
        } catch (Throwable t) {
            AgentCounters.failure("conditionCreated", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * Before a wait. Returns a WaitToken when the thread holds locks and the wait can block;
     * otherwise null after a thread-record read (ThreadRecords) and a depth check.
     */
    public static Object waitEnter(Object waited, Object owner, int kind, String type, String method, String descriptor) {
        HeldLocks h = HookGuard.enterFor(waited);
        if (h == null) {
            return null;
        }
        try {
            Object skip = kind == WAIT_CONDITION ? lockOf(h, waited, owner) : null;
            return begin(h, waited, skip, kind, type, method, descriptor != null && !descriptor.startsWith("()"), 0, null);
        } catch (Throwable t) {
            AgentCounters.failure("waitEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    /** A wait bounded by {@code (timeout, unit)} arguments (awaitTermination, a timed get). */
    public static Object timedWaitEnter(Object waited, int kind, String type, String method, long timeout,
                                        java.util.concurrent.TimeUnit unit) {
        HeldLocks h = HookGuard.enterFor(waited);
        if (h == null) {
            return null;
        }
        try {
            long nanos = unit == null ? 0 : Math.max(0, unit.toNanos(timeout));
            return begin(h, waited, null, kind, type, method, true, nanos, null);
        } catch (Throwable t) {
            AgentCounters.failure("waitEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * Object.wait at a call site: the monitor it waits on is released during the wait, so it is not
     * counted as held; its lock class (it is held, so the held stack knows it) names the role for
     * matching signals by class. {@code timeoutNanos} 0: unbounded.
     */
    public static Object monitorWaitEnter(Object monitor, long timeoutNanos) {
        HeldLocks h = HookGuard.enterFor(monitor);
        if (h == null) {
            return null;
        }
        try {
            int i = h.indexOf(monitor);
            String waitedLock = i < 0 ? "" : LockClasses.name(h.classIds[i]);
            return begin(h, monitor, monitor, WAIT_MONITOR, OBJECT, "wait", timeoutNanos > 0, timeoutNanos, waitedLock);
        } catch (Throwable t) {
            AgentCounters.failure("waitEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    /** Thread.sleep at a call site: a bounded stall of every thread that needs a lock this one holds. */
    public static Object sleepEnter(long nanos) {
        Thread me = Thread.currentThread();
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            return null;
        }
        try {
            return begin(h, me, null, WAIT_SLEEP, "java.lang.Thread", "sleep", true, Math.max(0, nanos), null);
        } catch (Throwable t) {
            AgentCounters.failure("waitEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    private static Object begin(HeldLocks h, Object waited, Object skip, int kind, String type, String method,
                                boolean timed, long timeoutNanos, String waitedLock) {
        if (h.depth == 0) {
            return null;
        }
        if (h.waitDepth++ > 0) {
            return NESTED;
        }
        if (cannotBlock(waited, kind)) {
            return SUPPRESSED;
        }
        int held = HeldLockText.count(h, skip);
        if (held == 0) {
            return SUPPRESSED;
        }
        if (kind != WAIT_SLEEP) {
            WAITED.put(waited, Boolean.TRUE);
        }
        WaitToken token = new WaitToken();
        token.start = System.nanoTime();
        if (WAIT_PROBE.isEnabled()) {
            WaitWhileHoldingEvent e = new WaitWhileHoldingEvent();
            e.begin();
            e.waitKind = type + '#' + method;
            e.objectClass = waited.getClass().getName();
            e.objectId = System.identityHashCode(waited);
            e.heldLocks = HeldLockText.write(h, -1, skip, false);
            e.heldLockCount = held;
            e.contexts = ContextHooks.describe(h);
            e.timed = timed;
            e.timeout = timeoutNanos;
            e.waitedLock = waitedLock == null ? "" : waitedLock;
            token.event = e;
            // for the shutdown report if this wait never ends; a stack costs ~µs, and a
            // wait while holding locks is rare and slow
            Thread me = Thread.currentThread();
            token.waiterName = me.getName();
            token.waiterId = me.getId();
            token.waiterStack = new Throwable();
            token.tracked = WaitsInProgress.add(token);
        }
        return token;
    }

    /**
     * A condition wait gives up its lock: the lock that created the condition, else (a condition
     * made before the agent was loaded, as every JDK queue's in a JVM that {@code lockdep4j watch}
     * attached to) the held ReentrantLock that owns it, else its owner (a read-write lock's sync,
     * which is what its held entry is).
     */
    private static Object lockOf(HeldLocks h, Object condition, Object owner) {
        Object lock = CONDITIONS.get(condition);
        if (lock != null) {
            return lock;
        }
        lock = heldOwnerOf(h, condition);
        if (lock != null) {
            CONDITIONS.put(condition, lock); // asked once per condition
            return lock;
        }
        return owner;
    }

    /**
     * await requires its lock held, so the owner is among the held ReentrantLocks; the public API
     * that says whether a lock owns a condition is hasWaiters (IllegalArgumentException if not).
     */
    private static Object heldOwnerOf(HeldLocks h, Object condition) {
        if (!(condition instanceof java.util.concurrent.locks.Condition c)) {
            return null;
        }
        for (int i = h.depth - 1; i >= 0; i--) {
            if (h.identities[i] instanceof java.util.concurrent.locks.ReentrantLock rl) {
                try {
                    rl.hasWaiters(c);
                    return rl;
                } catch (RuntimeException notItsCondition) {
                    // IllegalArgumentException: another lock's condition
                }
            }
        }
        return null;
    }

    /**
     * A wait that returns at once: a latch at zero, a done future, a free permit, a join of oneself.
     * A join of a thread that already ended, or an awaitTermination of a pool that already
     * terminated, is still a wait: whether the end came first is scheduling, and in another run the
     * waiter holds its locks while the thread still needs them (the end's signal says which).
     */
    static boolean cannotBlock(Object waited, int kind) {
        switch (kind) {
            case WAIT_LATCH:
                return ((java.util.concurrent.CountDownLatch) waited).getCount() == 0;
            case WAIT_FUTURE:
            case WAIT_COMPLETABLE:
                return ((java.util.concurrent.Future<?>) waited).isDone();
            case WAIT_JOIN:
                return waited == Thread.currentThread();
            case WAIT_SEMAPHORE:
                return ((java.util.concurrent.Semaphore) waited).availablePermits() > 0;
            default:
                return false;
        }
    }

    public static void waitExit(Object token) {
        if (token == null) {
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            if (h.waitDepth > 0) {
                h.waitDepth--;
            }
            if (!(token instanceof WaitToken)) {
                return;
            }
            WaitToken w = (WaitToken) token;
            if (w.tracked && !WaitsInProgress.remove(w)) {
                return; // already reported, in progress, by the shutdown report
            }
            if (w.event == null || System.nanoTime() - w.start < AgentConfig.waitThresholdNanos) {
                return;
            }
            boolean wasBusy = HookGuard.claim(h);
            try {
                w.event.end();
                ContextHooks.markOperation(h, w.event.heldLocks);
                w.event.commit();
            } finally {
                HookGuard.restore(h, wasBusy);
            }
        } catch (Throwable t) {
            AgentCounters.failure("waitExit", t);
        }
    }

    /** A signal (countDown, signal, release, completion). Nothing ever waited on while holding: one volatile read. */
    public static void signal(Object target, String type, String method) {
        if (WAITED.isEmpty()) {
            return;
        }
        HeldLocks h = HookGuard.enterFor(target);
        if (h == null) {
            return;
        }
        try {
            if (WAITED.get(target) == null || !SIGNAL_PROBE.isEnabled()) {
                return;
            }
            SignalEvent e = new SignalEvent();
            e.signalKind = type + '#' + method;
            e.objectClass = target.getClass().getName();
            e.objectId = System.identityHashCode(target);
            e.heldLocks = HeldLockText.write(h);
            e.heldLockCount = HeldLockText.count(h, null);
            e.takenBefore = SignalPaths.takenBefore(h);
            e.waitedLock = "";
            e.commit();
        } catch (Throwable t) {
            AgentCounters.failure("signal", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * notify/notifyAll at a call site. The signal is evidence for waits on any monitor of the same
     * lock class (any thread, any recording) and, when this very object was waited on while
     * holding, for those waits: reported once per (lock class, held chain, released slots) and per
     * waited object, so a hot notify whose combination is known allocates nothing. A notify that
     * holds nothing but its monitor and released nothing before says nothing: not reported.
     */
    public static void monitorSignal(Object monitor, String method) {
        HeldLocks h = HookGuard.enterFor(monitor);
        if (h == null) {
            return;
        }
        try {
            int i = h.indexOf(monitor);
            boolean waited = !WAITED.isEmpty() && WAITED.get(monitor) != null;
            if (!waited && (i < 0 || (h.depth <= 1 && !SignalPaths.anyReleased(h)))) {
                return;
            }
            long seed = HeldLocks.mix(h.topChain(), i < 0 ? 0 : h.classIds[i], (byte) 1, method.length() == 6);
            if (waited) {
                seed = HeldLocks.mix(seed, System.identityHashCode(monitor), (byte) 0, true);
            }
            if (!SignalPaths.firstSignal(SignalPaths.key(seed, h)) || !SIGNAL_PROBE.isEnabled()) {
                return;
            }
            SignalEvent e = new SignalEvent();
            e.signalKind = OBJECT + '#' + method;
            e.objectClass = monitor.getClass().getName();
            e.objectId = System.identityHashCode(monitor);
            e.heldLocks = HeldLockText.write(h, i, null, false);
            e.heldLockCount = HeldLockText.count(h, monitor);
            e.takenBefore = SignalPaths.takenBefore(h);
            e.waitedLock = i < 0 ? "" : LockClasses.name(h.classIds[i]);
            e.commit();
        } catch (Throwable t) {
            AgentCounters.failure("signal", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * The end of a thread (Thread.exit, on the ending thread) or of a pool worker
     * (ThreadPoolExecutor.runWorker returning, {@code target} the pool): the signal a join or an
     * awaitTermination waits for. Every lock the thread took before it ended is one it needs to
     * get there: reported once per (target, released slots) when it took any, whether or not a
     * wait has begun yet (which came first is scheduling).
     */
    public static void endSignal(Object target, String type, String method) {
        HeldLocks h = HookGuard.enterFor(target);
        if (h == null) {
            return;
        }
        try {
            if (!SignalPaths.anyReleased(h)) {
                return;
            }
            long seed = HeldLocks.mix(HeldLocks.SEED, System.identityHashCode(target), (byte) 0, false);
            if (!SignalPaths.firstEnd(SignalPaths.key(seed, h)) || !SIGNAL_PROBE.isEnabled()) {
                return;
            }
            SignalEvent e = new SignalEvent();
            e.signalKind = type + '#' + method;
            e.objectClass = target.getClass().getName();
            e.objectId = System.identityHashCode(target);
            e.heldLocks = HeldLockText.write(h);
            e.heldLockCount = HeldLockText.count(h, null);
            e.takenBefore = SignalPaths.takenBefore(h);
            e.waitedLock = "";
            e.commit();
        } catch (Throwable t) {
            AgentCounters.failure("endSignal", t);
        } finally {
            HookGuard.exit(h);
        }
    }
}
