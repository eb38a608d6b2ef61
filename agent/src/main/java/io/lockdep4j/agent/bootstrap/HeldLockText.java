package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.EventNames;

/**
 * The one writer of the held-lock wire format, used by every event field that lists held locks
 * ({@code heldLocks} of LockChain, LockContended, FileClose, FileForce, Context, Release,
 * WaitWhileHolding and Signal; {@code otherHeld} of LockOrderEdge). The analyzers have one parser
 * for it.
 *
 * <p>Format: the held locks of one thread, outermost (first acquired) first, joined by {@code ';'};
 * each one is {@code <lock class>(<mode>)}, where {@code <lock class>} is the lock class name as in
 * the events' {@code lock} fields (LockClasses.name) and {@code <mode>} is {@code read} or
 * {@code write}; with instances (LockOrderEdge.otherHeld only) each is followed by
 * {@code #<System.identityHashCode of the lock identity, decimal>}. Re-entries of a lock already
 * held are left out, and so is the one entry the caller skips (the lock being acquired or released,
 * or the lock a condition wait gives up). No locks: the empty string. Examples:
 * {@code ""}, {@code "Store.lock(write)"}, {@code "Cache.rw(read);Store.lock(write)#1180051466"}.
 */
public final class HeldLockText {
    private HeldLockText() {}

    /** The mode word, as in the events' mode fields. */
    static String modeName(byte mode) {
        return mode == HeldLocks.WRITE ? EventNames.MODE_WRITE : EventNames.MODE_READ;
    }

    /** The held locks, skipping re-entries, entry {@code skipIndex} (or -1) and {@code skipIdentity} (or null). */
    static String write(HeldLocks h, int skipIndex, Object skipIdentity, boolean instances) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < h.depth; j++) {
            if (j == skipIndex || (h.flags[j] & HeldLocks.FLAG_REENTRANT) != 0
                    || (skipIdentity != null && h.identities[j] == skipIdentity)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(LockClasses.name(h.classIds[j])).append('(').append(modeName(h.modes[j])).append(')');
            if (instances) {
                sb.append('#').append(System.identityHashCode(h.identities[j]));
            }
        }
        return sb.toString();
    }

    /** All held locks (no skip, no instances): the common case. */
    static String write(HeldLocks h) {
        return write(h, -1, null, false);
    }

    /** How many distinct locks are held, not counting one identity (or null); allocation-free. */
    static int count(HeldLocks h, Object skipIdentity) {
        int n = 0;
        for (int j = 0; j < h.depth; j++) {
            if ((h.flags[j] & HeldLocks.FLAG_REENTRANT) == 0 && (skipIdentity == null || h.identities[j] != skipIdentity)) {
                n++;
            }
        }
        return n;
    }

    /** The current thread's held locks in this format, or "" (allocates only when some are held). */
    public static String ofCurrentThread() {
        try {
            HeldLocks h = HookGuard.current();
            return h.depth == 0 ? "" : write(h);
        } catch (Throwable t) {
            AgentCounters.failure("heldLocksDescription", t);
            return "";
        }
    }
}
