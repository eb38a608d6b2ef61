package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.ContextEvent;

/**
 * Contexts (ContextInstrumentation): configured methods whose activation is named in the
 * release-path events inside them ({@code contexts} fields) and reported as a Context event when a
 * reported operation ran inside them (or they took longer than contextThresholdMs). Context hooks
 * can be on hot paths: entering and leaving a context reads no clock and allocates nothing unless it
 * reports; each slot keeps its event object and reuses it.
 */
public final class ContextHooks {
    private ContextHooks() {}

    private static final ContextEvent CONTEXT_PROBE = new ContextEvent();

    /** One thread's context stack (HeldLocks.contexts), created on its first context. */
    static final class Stack {
        static final int MAX = 16;

        int depth;
        final String[] names = new String[MAX];
        final String[] types = new String[MAX];
        final String[] methods = new String[MAX];
        final int[] ops = new int[MAX];
        final long[] start = new long[MAX];
        final ContextEvent[] events = new ContextEvent[MAX];
        /** Held locks at the first reported operation inside the context. */
        final String[] held = new String[MAX];
        int overflow;

        void describe(StringBuilder sb, int i) {
            sb.append(names[i]).append(':').append(types[i]).append('#').append(methods[i]);
        }
    }

    static Stack of(HeldLocks h) {
        Stack s = h.contexts;
        if (s == null) {
            s = new Stack();
            h.contexts = s;
        }
        return s;
    }

    /**
     * Enters a context method; returns a token for contextExit (null when nothing was pushed).
     * No clock read, no allocation: the Context event starts at the first reported operation
     * inside the context (or here, when contextThresholdMs is set).
     */
    public static Object contextEnter(String name, String type, String method) {
        if (!Hooks.active) {
            return null;
        }
        try {
            HeldLocks h = HookGuard.current();
            if (h.busy) {
                return null;
            }
            Stack s = of(h);
            int d = s.depth;
            if (d > 0 && d <= Stack.MAX && s.names[d - 1] == name && s.methods[d - 1].equals(method)
                    && s.types[d - 1].equals(type)) {
                return null; // a bridge or super call of the same context method: one context
            }
            s.depth = d + 1;
            if (d >= Stack.MAX) {
                s.overflow++;
                return s;
            }
            s.names[d] = name;
            s.types[d] = type;
            s.methods[d] = method;
            s.ops[d] = 0;
            if (AgentConfig.contextThresholdNanos >= 0) {
                s.start[d] = System.nanoTime();
                ContextEvent e = event(h, s, d);
                if (e != null) {
                    e.begin();
                }
            }
            return s;
        } catch (Throwable t) {
            AgentCounters.failure("contextEnter", t);
            return null;
        }
    }

    /** The reusable event of context slot d, or null when the event type is off. */
    private static ContextEvent event(HeldLocks h, Stack s, int d) {
        if (!CONTEXT_PROBE.isEnabled()) {
            return null;
        }
        ContextEvent e = s.events[d];
        if (e == null) {
            boolean wasBusy = HookGuard.claim(h);
            try {
                e = new ContextEvent();
            } finally {
                HookGuard.restore(h, wasBusy);
            }
            s.events[d] = e;
        }
        return e;
    }

    public static void contextExit(Object token) {
        if (!(token instanceof Stack)) {
            return;
        }
        try {
            Stack s = (Stack) token;
            int d = s.depth - 1;
            if (d < 0) {
                return;
            }
            s.depth = d;
            if (d >= Stack.MAX) {
                return;
            }
            boolean report = s.ops[d] > 0 || (AgentConfig.contextThresholdNanos >= 0
                    && System.nanoTime() - s.start[d] >= AgentConfig.contextThresholdNanos);
            HeldLocks h = report ? HookGuard.current() : null;
            ContextEvent e = report ? event(h, s, d) : null;
            if (e != null) {
                boolean wasBusy = HookGuard.claim(h);
                try {
                    e.end();
                    e.name = s.names[d];
                    e.method = s.types[d] + '#' + s.methods[d];
                    e.depth = d + 1;
                    if (d > 0) {
                        StringBuilder sb = new StringBuilder();
                        s.describe(sb, d - 1);
                        e.parent = sb.toString();
                    } else {
                        e.parent = null;
                    }
                    e.heldLocks = s.ops[d] > 0 ? s.held[d] : HeldLockText.write(h);
                    e.operations = s.ops[d];
                    e.commit();
                } finally {
                    HookGuard.restore(h, wasBusy);
                }
            }
            s.names[d] = null;
            s.types[d] = null;
            s.methods[d] = null;
            s.held[d] = null;
        } catch (Throwable t) {
            AgentCounters.failure("contextExit", t);
        }
    }

    /** name:Class#method of every active context on h's thread, outermost first; null when none. */
    static String describe(HeldLocks h) {
        Stack s = h.contexts;
        int d = s == null ? 0 : Math.min(s.depth, Stack.MAX);
        if (d == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d; i++) {
            if (i > 0) {
                sb.append(';');
            }
            s.describe(sb, i);
        }
        return sb.toString();
    }

    /**
     * A reported operation ran: marks every active context as having seen one (held locks: those
     * at the first). Callers are on a reporting path and hold the busy flag, so allocating is fine.
     */
    static void markOperation(HeldLocks h, String heldNow) {
        Stack s = h.contexts;
        int d = s == null ? 0 : Math.min(s.depth, Stack.MAX);
        for (int i = 0; i < d; i++) {
            if (s.ops[i]++ == 0) {
                s.held[i] = heldNow;
                if (AgentConfig.contextThresholdNanos < 0) {
                    // the context's event starts at its first reported operation
                    if (s.events[i] == null) {
                        s.events[i] = new ContextEvent();
                    }
                    s.events[i].begin();
                }
            }
        }
    }

    /** Active context names on this thread as name:Class#method;...; null when none. For tests. */
    public static String contexts() {
        try {
            return describe(HookGuard.current());
        } catch (Throwable t) {
            return null;
        }
    }
}
