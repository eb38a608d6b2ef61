package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.RefcountUnderflowEvent;
import io.lockdep4j.events.UseAfterReleaseEvent;

/**
 * Refcounts and use after shutdown (RefcountInstrumentation, UseAfterReleaseInstrumentation): a
 * configured get/put pair keeps a count per object, and a put below zero is a RefcountUnderflow
 * (once, then the count restarts at zero); a configured use method called on an object whose
 * shutdown method already returned is a UseAfterRelease (once per object). Both tables are weak and
 * bounded. With nothing shut down, a use is one volatile read.
 */
public final class LifecycleHooks {
    private LifecycleHooks() {}

    /** Refcounted objects → long[1] count (guarded by the table's monitor). */
    static final WeakIdentityTable REFCOUNTS = new WeakIdentityTable(256, 1 << 18);
    /** Objects whose shutdown method ran → {shutdown method, thread} (then a third "reported"). */
    static final WeakIdentityTable SHUT_DOWN = new WeakIdentityTable(64, 1 << 14);

    public static void refcountGet(Object target, String type, String method) {
        refcount(target, 1, type, method);
    }

    public static void refcountPut(Object target, String type, String method) {
        refcount(target, -1, type, method);
    }

    private static void refcount(Object target, int delta, String type, String method) {
        HeldLocks h = HookGuard.enterFor(target);
        if (h == null) {
            return;
        }
        try {
            long count = add(target, delta, type);
            if (count < 0) {
                RefcountUnderflowEvent e = new RefcountUnderflowEvent();
                e.objectClass = target.getClass().getName();
                e.objectId = System.identityHashCode(target);
                e.method = type + '#' + method;
                e.count = count;
                e.commit();
            }
        } catch (Throwable t) {
            AgentCounters.failure("refcount", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * Adds delta to target's count (starting at the configured initial count of its type) and
     * returns the new count; a count below zero is returned once and reset to zero.
     */
    static long add(Object target, int delta, String type) {
        synchronized (REFCOUNTS) {
            Object v = REFCOUNTS.get(target);
            long[] c;
            if (v instanceof long[]) {
                c = (long[]) v;
            } else {
                c = new long[] {RefcountConfig.initial(type)};
                REFCOUNTS.put(target, c);
            }
            c[0] += delta;
            long count = c[0];
            if (count < 0) {
                c[0] = 0; // report each underflow once, then count from zero again
            }
            return count;
        }
    }

    /** After a shutdown method returned normally. */
    public static void shutdownDone(Object target, String type, String method) {
        HeldLocks h = HookGuard.enterFor(target);
        if (h == null) {
            return;
        }
        try {
            SHUT_DOWN.put(target, new String[] {type + '#' + method, Thread.currentThread().getName()});
        } catch (Throwable t) {
            AgentCounters.failure("shutdownDone", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    /** Before a use method. Nothing shut down: one volatile read. Reports once per object. */
    public static void used(Object target, String type, String method) {
        if (SHUT_DOWN.isEmpty()) {
            return;
        }
        HeldLocks h = HookGuard.enterFor(target);
        if (h == null) {
            return;
        }
        try {
            Object v = SHUT_DOWN.get(target);
            if (!(v instanceof String[])) {
                return;
            }
            String[] info = (String[]) v;
            if (info.length > 2) {
                return; // already reported
            }
            SHUT_DOWN.put(target, new String[] {info[0], info[1], "reported"});
            UseAfterReleaseEvent e = new UseAfterReleaseEvent();
            e.objectClass = target.getClass().getName();
            e.objectId = System.identityHashCode(target);
            e.method = type + '#' + method;
            e.shutdownMethod = info[0];
            e.shutdownThread = info[1];
            e.commit();
        } catch (Throwable t) {
            AgentCounters.failure("used", t);
        } finally {
            HookGuard.exit(h);
        }
    }
}
