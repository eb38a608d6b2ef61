package io.lockdep4j.agent.bootstrap;

/**
 * The one guard every hook goes through, and the per-thread record it guards: this thread's
 * {@link HeldLocks}, which also carries each hook concern's per-thread state (created on first use).
 *
 * <p>A hook that may report takes the thread's busy flag first, so the locks, files and classes
 * that its own work touches (JFR, class loading, stack walking) do not re-enter the hooks:
 * <pre>
 * HeldLocks h = HookGuard.enter();
 * if (h == null) return;          // not active yet, or this thread is already inside a hook
 * try { ... } catch (Throwable t) { AgentCounters.failure("name", t); } finally { HookGuard.exit(h); }
 * </pre>
 * No lambda or callback object (the bootstrap rules forbid lambdas; a callback would allocate or
 * be megamorphic): {@code enter} and {@code exit} are tiny static methods. The lock hot path in
 * {@link Hooks} keeps the same prologue hand-written, for the JIT's inlining budget (see Hooks).
 *
 * <p>Exit hooks that must finish their bookkeeping even while the thread is busy (the matching
 * enter already ran) use {@link #claim}/{@link #restore}, which keep the caller's flag.
 */
final class HookGuard {
    private HookGuard() {}

    /** This thread's record, whatever its busy flag. */
    static HeldLocks current() {
        return ThreadRecords.current();
    }

    /** This thread's record with its busy flag taken, or null: hooks inactive, or already busy. */
    static HeldLocks enter() {
        if (!Hooks.active) {
            return null;
        }
        try {
            HeldLocks h = ThreadRecords.current();
            if (h.busy) {
                return null;
            }
            h.busy = true;
            return h;
        } catch (Throwable t) {
            AgentCounters.failure("enter", t);
            return null;
        }
    }

    /** As {@link #enter}, for a hook about one object: null too when that object is null. */
    static HeldLocks enterFor(Object subject) {
        return subject == null ? null : enter();
    }

    /** Gives back the busy flag that {@link #enter} took. */
    static void exit(HeldLocks h) {
        h.busy = false;
    }

    /** Takes the busy flag whether or not it was set; returns what it was, for {@link #restore}. */
    static boolean claim(HeldLocks h) {
        boolean was = h.busy;
        h.busy = true;
        return was;
    }

    static void restore(HeldLocks h, boolean wasBusy) {
        h.busy = wasBusy;
    }
}
