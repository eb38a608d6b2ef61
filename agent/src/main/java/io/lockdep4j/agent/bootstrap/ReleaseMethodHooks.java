package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.EventNames;
import io.lockdep4j.events.ReleaseEvent;

/**
 * Release methods (ReleaseMethodInstrumentation): a configured release method is reported as a
 * Release event, SYNC when it closed a file itself, DEFERRED when it only handed work to an executor
 * (the hand-offs and the runs of handed-off tasks are {@link HandoffHooks}, on the same per-thread
 * {@link Stack}). The closes and forces of FileReleaseHooks count into the innermost release (or the
 * running deferred task) through {@link #noteClose}/{@link #noteForce}. These hooks can be on hot
 * paths: outside a release they are a thread-record read (ThreadRecords), and they allocate
 * nothing unless they report; each release slot keeps its event object.
 */
public final class ReleaseMethodHooks {
    private ReleaseMethodHooks() {}

    private static final ReleaseEvent RELEASE_PROBE = new ReleaseEvent();

    /** Tasks handed off inside a release method → their TaskTag. */
    static final WeakIdentityTable TASKS = new WeakIdentityTable(256, 1 << 14);

    /** One thread's release stack and the deferred task it runs (HeldLocks.releases), created on first use. */
    static final class Stack {
        static final int MAX = 8;

        int depth;
        final String[] types = new String[MAX];
        final String[] methods = new String[MAX];
        final long[] ids = new long[MAX];
        final int[] closes = new int[MAX];
        final int[] forces = new int[MAX];
        final int[] handoffs = new int[MAX];
        final ReleaseEvent[] events = new ReleaseEvent[MAX];
        final String[] held = new String[MAX];
        final String[] contexts = new String[MAX];
        int overflow;
        int handoffDepth;
        int seq;
        /** The deferred task this (executor) thread runs, its closes so far, and the worker's token. */
        TaskTag running;
        int runningCloses;
        Object workerToken;

        /** The innermost release's id (allocated on first use), else the running deferred task's, else 0. */
        long currentId(long threadId) {
            if (depth > 0) {
                int i = Math.min(depth, MAX) - 1;
                if (ids[i] == 0) {
                    ids[i] = (threadId << 24) ^ (++seq & 0xFFFFFFL) | (1L << 62);
                }
                return ids[i];
            }
            return running != null ? running.releaseId : 0;
        }

        int top() {
            return Math.min(depth, MAX) - 1;
        }
    }

    static Stack of(HeldLocks h) {
        Stack s = h.releases;
        if (s == null) {
            s = new Stack();
            h.releases = s;
        }
        return s;
    }

    // ---- what the other hooks ask of the release in progress on this thread

    /** The id that ties a close or force to its release (or deferred run); 0 outside both. */
    static long releaseId(HeldLocks h) {
        return h.releases == null ? 0 : h.releases.currentId(h.threadId);
    }

    /** Outside a release method but inside a task one handed off. */
    static boolean deferred(HeldLocks h) {
        return h.releases != null && h.releases.depth == 0 && h.releases.running != null;
    }

    static void noteClose(HeldLocks h) {
        Stack s = h.releases;
        if (s == null) {
            return;
        }
        if (s.depth > 0) {
            s.closes[s.top()]++;
        }
        if (s.running != null) {
            s.runningCloses++;
        }
    }

    static void noteForce(HeldLocks h) {
        Stack s = h.releases;
        if (s != null && s.depth > 0) {
            s.forces[s.top()]++;
        }
    }

    /** Records the held locks and contexts of the innermost release at its first close or hand-off. */
    static void noteHeld(HeldLocks h, String heldNow, String contextsNow) {
        Stack s = h.releases;
        if (s != null && s.depth > 0 && s.depth <= Stack.MAX && s.held[s.depth - 1] == null) {
            s.held[s.depth - 1] = heldNow;
            s.contexts[s.depth - 1] = contextsNow;
        }
    }

    // ---- release methods

    public static boolean releaseEnter(String type, String method) {
        if (!Hooks.active) {
            return false;
        }
        try {
            HeldLocks h = HookGuard.current();
            if (h.busy) {
                return false;
            }
            Stack s = of(h);
            int d = s.depth;
            s.depth = d + 1;
            if (d >= Stack.MAX) {
                s.overflow++;
                return true;
            }
            s.types[d] = type;
            s.methods[d] = method;
            s.ids[d] = 0;
            s.closes[d] = 0;
            s.forces[d] = 0;
            s.handoffs[d] = 0;
            s.held[d] = null;
            s.contexts[d] = null;
            if (RELEASE_PROBE.isEnabled()) {
                ReleaseEvent e = s.events[d];
                if (e == null) {
                    h.busy = true;
                    try {
                        e = new ReleaseEvent();
                    } finally {
                        h.busy = false;
                    }
                    s.events[d] = e;
                }
                e.begin();
            }
            return true;
        } catch (Throwable t) {
            AgentCounters.failure("releaseEnter", t);
            return false;
        }
    }

    public static void releaseExit(boolean pushed) {
        if (!pushed) {
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            Stack s = of(h);
            int d = s.depth - 1;
            if (d < 0) {
                return;
            }
            if (d >= Stack.MAX) {
                s.depth = d;
                return;
            }
            int closes = s.closes[d];
            int handoffs = s.handoffs[d];
            ReleaseEvent e = s.events[d];
            if ((closes > 0 || handoffs > 0) && e != null && RELEASE_PROBE.isEnabled()) {
                boolean wasBusy = HookGuard.claim(h);
                try {
                    e.end();
                    e.releaseId = s.currentId(h.threadId);
                    e.method = s.types[d] + '#' + s.methods[d];
                    e.mode = mode(closes);
                    e.closes = closes;
                    e.forces = s.forces[d];
                    e.handoffs = handoffs;
                    e.heldLocks = s.held[d];
                    e.contexts = s.contexts[d];
                    ContextHooks.markOperation(h, HeldLockText.write(h));
                    e.commit();
                } finally {
                    HookGuard.restore(h, wasBusy);
                }
            }
            if (d > 0) {
                // an inner release's closes and hand-offs happened inside the outer one too
                s.closes[d - 1] += closes;
                s.forces[d - 1] += s.forces[d];
                s.handoffs[d - 1] += handoffs;
            }
            s.depth = d;
            s.types[d] = null;
            s.methods[d] = null;
        } catch (Throwable t) {
            AgentCounters.failure("releaseExit", t);
        }
    }

    /** A release that closed a file itself is SYNC; one that only handed work off is DEFERRED. */
    static String mode(int closes) {
        return closes > 0 ? EventNames.RELEASE_SYNC : EventNames.RELEASE_DEFERRED;
    }

    // the hand-offs inside a release, and the runs of the tasks they handed off: HandoffHooks
}
