package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.SignalEvent;
import io.lockdep4j.events.WaitWhileHoldingEvent;

/**
 * Waits while holding locks, and the signals that end them (WaitAdvice, ConditionInstrumentation,
 * CountDownLatch/Semaphore/FutureTask/CompletableFuture/Thread.join instrumentations): a wait that
 * can block while this thread holds a lock (other than the one a condition wait gives up) is a
 * WaitWhileHolding event when it ends, or at shutdown if it never does (WaitsInProgress); a signal on
 * an object that some thread waited on while holding locks is a Signal event. Without locks held a
 * wait is a ThreadLocal read; with nothing ever waited on a signal is one volatile read.
 */
public final class WaitHooks {
    private WaitHooks() {}

    public static final int WAIT_CONDITION = 0;
    public static final int WAIT_LATCH = 1;
    public static final int WAIT_FUTURE = 2;
    public static final int WAIT_COMPLETABLE = 3;
    public static final int WAIT_JOIN = 4;
    public static final int WAIT_SEMAPHORE = 5;

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
     * otherwise null after a ThreadLocal read and a depth check.
     */
    public static Object waitEnter(Object waited, Object owner, int kind, String type, String method, String descriptor) {
        HeldLocks h = HookGuard.enterFor(waited);
        if (h == null) {
            return null;
        }
        try {
            if (h.depth == 0) {
                return null;
            }
            if (h.waitDepth++ > 0) {
                return NESTED;
            }
            Object skip = kind == WAIT_CONDITION ? lockOf(waited, owner) : null;
            if (cannotBlock(waited, kind)) {
                return SUPPRESSED;
            }
            int held = HeldLockText.count(h, skip);
            if (held == 0) {
                return SUPPRESSED;
            }
            WAITED.put(waited, Boolean.TRUE);
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
                e.timed = descriptor != null && !descriptor.startsWith("()");
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
        } catch (Throwable t) {
            AgentCounters.failure("waitEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    /** A condition wait gives up its lock: the lock that created the condition, else its owner. */
    private static Object lockOf(Object condition, Object owner) {
        Object lock = CONDITIONS.get(condition);
        return lock != null ? lock : owner;
    }

    /** A wait that returns at once: a latch at zero, a done future, a dead or own thread, a free permit. */
    static boolean cannotBlock(Object waited, int kind) {
        switch (kind) {
            case WAIT_LATCH:
                return ((java.util.concurrent.CountDownLatch) waited).getCount() == 0;
            case WAIT_FUTURE:
            case WAIT_COMPLETABLE:
                return ((java.util.concurrent.Future<?>) waited).isDone();
            case WAIT_JOIN:
                return !((Thread) waited).isAlive() || waited == Thread.currentThread();
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
            e.commit();
        } catch (Throwable t) {
            AgentCounters.failure("signal", t);
        } finally {
            HookGuard.exit(h);
        }
    }
}
