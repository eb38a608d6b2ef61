package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.LockOrderViolationEvent;

/**
 * What the online check says when an acquisition closes a cycle (see {@link OnlineCycles}): one
 * lockdep-style report, "WARNING: possible circular locking dependency detected", the chain, the
 * unsafe scenario, the stack of this acquisition and the recorded stack of every other edge. On
 * stderr at most {@link #MAX_PER_WINDOW} reports per {@link #WINDOW_NANOS} (the rest are counted as
 * {@code onlineReportsSuppressed}), and always as one {@code lockdep4j.LockOrderViolation} event.
 * Called outside Recorder's monitor, once per cycle.
 */
final class CycleReport {
    private CycleReport() {}

    static final int MAX_PER_WINDOW = 10;
    static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int FRAMES_SHOWN = 12;
    private static final Object rateLock = new Object();
    private static long windowStart; // guarded by rateLock
    private static int inWindow;     // guarded by rateLock

    /**
     * Initialises this class; see OnlineCycles.prepare. Its event class is not touched here: its
     * initialisation registers it with JFR (JFR's locks), so it happens only in {@link #report},
     * when a cycle is found, on that thread, outside every agent lock.
     */
    static void prepare() {
        // calling it initialises the class: nothing else to do
    }

    /** Prints and records the report of {@code c}; returns its text. */
    static String report(OnlineCycles.Cycle c, HeldLocks h, byte policy) {
        String text = text(c, h, policy);
        if (allowed()) {
            System.err.print(text);
            System.err.flush();
        } else {
            AgentCounters.onlineReportsSuppressed++;
        }
        LockOrderViolationEvent e = new LockOrderViolationEvent();
        if (e.isEnabled()) {
            e.cycle = arrow(c);
            e.heldLock = LockClasses.name(c.classes[0]);
            e.acquiredLock = LockClasses.name(c.classes[1]);
            e.policy = policy == OnlineCycles.THROW ? "throw" : "report";
            e.singleThread = c.singleThread;
            e.report = text;
            e.commit();
        }
        return text;
    }

    private static boolean allowed() {
        synchronized (rateLock) {
            long now = System.nanoTime();
            if (windowStart == 0 || now - windowStart >= WINDOW_NANOS) {
                windowStart = now;
                inWindow = 0;
            }
            return inWindow++ < MAX_PER_WINDOW;
        }
    }

    static String arrow(OnlineCycles.Cycle c) {
        StringBuilder sb = new StringBuilder();
        for (int id : c.classes) {
            sb.append(LockClasses.name(id)).append(" -> ");
        }
        return sb.append(LockClasses.name(c.classes[0])).toString();
    }

    static String text(OnlineCycles.Cycle c, HeldLocks h, byte policy) {
        int n = c.classes.length;
        OnlineCycles.Observation self = c.chosen[0];
        StringBuilder sb = new StringBuilder(2048);
        sb.append("\n======================================================\n");
        sb.append("WARNING: possible circular locking dependency detected\n");
        sb.append("lockdep4j agent, onCycle=").append(policy == OnlineCycles.THROW ? "throw" : "report")
                .append(c.singleThread ? " (every edge seen on this thread only)" : "").append('\n');
        sb.append("------------------------------------------------------\n");
        sb.append(thread(self)).append(" is trying to acquire lock:\n");
        sb.append("    ").append(lock(c.classes[1], self.acquiredWrite)).append('\n');
        sb.append("but it already holds lock:\n");
        sb.append("    ").append(lock(c.classes[0], self.heldWrite)).append('\n');
        String held = HeldLockText.write(h);
        if (!held.isEmpty()) {
            sb.append("(all locks it holds, outermost first: ").append(held.replace(";", ", ")).append(")\n");
        }
        sb.append("\nwhich lock already depends on the new lock.\nthe existing dependency chain is:\n");
        for (int i = 1; i < n; i++) {
            OnlineCycles.Observation o = c.chosen[i];
            int from = c.classes[i];
            int to = c.classes[(i + 1) % n];
            sb.append("\n-> #").append(i).append(": ").append(lock(from, o.heldWrite)).append(" -> ")
                    .append(lock(to, o.acquiredWrite)).append('\n');
            sb.append("       on ").append(thread(o)).append(", ").append(LockClasses.name(to))
                    .append(" was acquired at:\n");
            stack(sb, o.stack);
        }
        sb.append("\nPossible unsafe locking scenario:\n\n");
        for (int i = 0; i < n; i++) {
            sb.append("   Thread ").append(i + 1).append(": ").append(op(c.chosen[i].heldWrite)).append('(')
                    .append(LockClasses.name(c.classes[i])).append(")\n");
        }
        for (int i = 0; i < n; i++) {
            if (c.needsWriter[i]) {
                sb.append("   Writer:   lock(").append(LockClasses.name(c.classes[i])).append(")   <- queues behind Thread ")
                        .append(i + 1).append("'s read lock\n");
            }
        }
        for (int i = 0; i < n; i++) {
            int next = (i + 1) % n;
            sb.append("   Thread ").append(i + 1).append(": ").append(op(c.chosen[i].acquiredWrite)).append('(')
                    .append(LockClasses.name(c.classes[next])).append(")   <- waits: ")
                    .append(c.needsWriter[next] ? "the queued writer on " + LockClasses.name(c.classes[next]) + " blocks new readers"
                            : "Thread " + (next + 1) + " holds " + LockClasses.name(c.classes[next]))
                    .append('\n');
        }
        sb.append("\n   *** DEADLOCK ***\n");
        sb.append("\nstack of this acquisition (").append(thread(self)).append("):\n");
        stack(sb, self.stack);
        if (policy == OnlineCycles.THROW) {
            sb.append("\nonCycle=throw: this acquisition throws ").append(LockOrderViolationException.class.getName())
                    .append(" instead of taking ").append(LockClasses.name(c.classes[1])).append(".\n");
        }
        sb.append("======================================================\n");
        return sb.toString();
    }

    private static String lock(int id, boolean write) {
        // only read-write and stamped locks have modes: a monitor or a ReentrantLock is just held
        byte kind = LockClasses.kind(id);
        boolean modes = kind == LockClasses.KIND_RW_LOCK || kind == LockClasses.KIND_STAMPED_LOCK;
        return LockClasses.name(id) + " (" + LockClasses.kindName(id) + (modes ? (write ? ", write" : ", read") : "") + ")";
    }

    private static String op(boolean write) {
        return write ? "lock" : "rlock";
    }

    private static String thread(OnlineCycles.Observation o) {
        return "thread \"" + o.threadName + "\" (id " + o.threadId + ")";
    }

    private static void stack(StringBuilder sb, Throwable where) {
        if (where == null) {
            sb.append("           (not kept: the agent keeps ").append(OnlineCycles.MAX_STACKS)
                    .append(" stacks for these reports; the recording's lockdep4j.LockOrderEdge event has it)\n");
            return;
        }
        StackTraceElement[] frames = trimmed(where);
        if (frames.length == 0) {
            sb.append("           (no stack trace)\n");
            return;
        }
        int shown = Math.min(frames.length, FRAMES_SHOWN);
        for (int i = 0; i < shown; i++) {
            sb.append("           at ").append(frames[i]).append('\n');
        }
        if (frames.length > shown) {
            sb.append("           ... ").append(frames.length - shown).append(" more\n");
        }
    }

    /** The frames of {@code where} without the agent's own, at most OnlineCycles.MAX_FRAMES. */
    static StackTraceElement[] trimmed(Throwable where) {
        StackTraceElement[] all = where.getStackTrace();
        int start = 0;
        while (start < all.length && all[start].getClassName().startsWith("io.lockdep4j.agent.bootstrap.")) {
            start++;
        }
        int len = Math.min(all.length - start, OnlineCycles.MAX_FRAMES);
        StackTraceElement[] out = new StackTraceElement[Math.max(0, len)];
        System.arraycopy(all, start, out, 0, out.length);
        return out;
    }
}
