package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.WaitWhileHoldingEvent;

/**
 * Waits while holding locks that have begun and not ended. A wait event is committed when the
 * wait ends, so a wait that never ends (a real deadlock, stopped by SIGTERM) would leave no trace;
 * at shutdown, before the recording is dumped, every wait still here is reported with
 * {@code inProgress}. Waits while holding locks are rare and slow, so a fixed table under a private
 * monitor is enough; a full table drops (and counts) the wait, which is then reported only if it ends.
 */
final class WaitsInProgress {
    private WaitsInProgress() {}

    static final int CAPACITY = 256;
    /** Most frames kept per waiter: the application's frames are near the top. */
    static final int MAX_FRAMES = 64;

    private static final Object LOCK = new Object();
    private static final WaitToken[] SLOTS = new WaitToken[CAPACITY];
    static volatile long dropped;
    private static boolean reported;

    /** Registers a wait that has an event; false (and counted) when the table is full. */
    static boolean add(WaitToken w) {
        synchronized (LOCK) {
            if (reported) {
                return false;
            }
            for (int i = 0; i < CAPACITY; i++) {
                if (SLOTS[i] == null) {
                    SLOTS[i] = w;
                    return true;
                }
            }
        }
        dropped++;
        return false;
    }

    /** The wait ended. False when the shutdown report already committed it: do not commit it again. */
    static boolean remove(WaitToken w) {
        synchronized (LOCK) {
            for (int i = 0; i < CAPACITY; i++) {
                if (SLOTS[i] == w) {
                    SLOTS[i] = null;
                    return true;
                }
            }
            return !reported;
        }
    }

    /** At shutdown, once: commits a WaitWhileHolding event, with the waiter's thread and stack, per wait in progress. */
    static void report(long thresholdNanos) {
        WaitToken[] open = new WaitToken[CAPACITY];
        synchronized (LOCK) {
            if (reported) {
                return;
            }
            reported = true;
            System.arraycopy(SLOTS, 0, open, 0, CAPACITY);
            java.util.Arrays.fill(SLOTS, null);
        }
        long now = System.nanoTime();
        for (WaitToken w : open) {
            if (w == null || w.event == null || now - w.start < thresholdNanos) {
                continue;
            }
            WaitWhileHoldingEvent e = w.event;
            e.end();
            e.inProgress = true;
            e.waiterThreadName = w.waiterName;
            e.waiterThreadId = w.waiterId;
            e.waiterStack = frames(w.waiterStack);
            e.commit();
        }
    }

    /** Class.method:line per frame, innermost first, the agent's own frames left out. */
    static String frames(Throwable where) {
        if (where == null) {
            return null;
        }
        StackTraceElement[] st = where.getStackTrace();
        StringBuilder sb = new StringBuilder(st.length * 64);
        int kept = 0;
        for (StackTraceElement f : st) {
            if (kept == MAX_FRAMES) {
                break;
            }
            if (f.getClassName().startsWith("io.lockdep4j.agent.")) {
                continue;
            }
            if (kept++ > 0) {
                sb.append('\n');
            }
            sb.append(f.getClassName()).append('.').append(f.getMethodName()).append(':').append(f.getLineNumber());
        }
        return sb.toString();
    }
}
