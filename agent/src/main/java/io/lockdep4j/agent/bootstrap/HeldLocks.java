package io.lockdep4j.agent.bootstrap;

/**
 * One thread's held-lock stack: for each lock it holds, the lock's identity (the object whose
 * release ends the hold), its class, mode and the chain key after its acquisition. The chain key
 * is a hash of the whole sequence of (class, mode) held, as lockdep's chain key: an acquisition
 * whose chain key is already known has nothing new to say about lock order and costs one table
 * probe.
 *
 * <p>Owned by one thread, never shared; arrays grow (up to {@link AgentConfig#maxHeldDepth}) and
 * are otherwise reused, so known paths do not allocate.
 */
final class HeldLocks {
    static final byte READ = 0;
    static final byte WRITE = 1;
    static final byte FLAG_TRYLOCK = 1;
    static final byte FLAG_REENTRANT = 2;
    /**
     * This acquisition itself emitted the LockChain event of its chain (this thread's first sighting
     * of the chain), so that event's stack is where this entry's lock was taken on this path. Set
     * only on the slow path; an acquisition through a known chain records no stack.
     */
    static final byte FLAG_OWN_STACK = 4;
    static final long SEED = 0x6c6f636b64657034L;

    final long threadId;
    /** The thread this record belongs to (see ThreadRecords: weak, so no table keeps a dead thread). */
    final java.lang.ref.WeakReference<Thread> self;
    boolean busy;
    int depth;
    Object[] identities = new Object[8];
    int[] classIds = new int[8];
    byte[] modes = new byte[8];
    byte[] flags = new byte[8];
    long[] chains = new long[8];
    long[] since = new long[8];
    int stampedCount;
    /** Nesting of the agent's own work on this thread (class transformation); busy while > 0. */
    int agentDepth;
    boolean busyBeforeAgent;
    // Each hook concern's per-thread state, created on first use and owned by that concern (one
    // thread-record read, HookGuard's, reaches them all).
    /** FileReleaseHooks: the open close and force. */
    FileReleaseHooks.State files;
    /** OpenHandleHooks: the open in progress at an application open site. */
    OpenHandleHooks.State opens;
    /** ContextHooks: the context stack. */
    ContextHooks.Stack contexts;
    /** ReleaseMethodHooks and HandoffHooks: the release stack and the deferred task running. */
    ReleaseMethodHooks.Stack releases;
    /** WaitHooks: nesting of waits while holding locks (a timed wait calling an untimed one). */
    int waitDepth;
    /**
     * The lock classes this thread released most recently, {@code classId << 1 | mode} (0: empty),
     * a 2-way set: slot {@code classId & 15} or its partner {@code ^ 8}. What a later signal by this
     * thread "took before" it (SignalPaths). The common release (the same lock again) is one load
     * and compare; no allocation.
     */
    final int[] released = new int[RELEASED_SLOTS];
    static final int RELEASED_SLOTS = 16;

    void noteReleased(int classId, byte mode) {
        int v = classId << 1 | mode;
        int[] r = released;
        int s = classId & (RELEASED_SLOTS - 1);
        if (r[s] == v) {
            return;
        }
        int t = s ^ (RELEASED_SLOTS >> 1);
        if (r[t] == v) {
            return;
        }
        if (r[s] != 0) {
            r[t] = r[s]; // the older of the two moves to the partner slot, the partner's is dropped
        }
        r[s] = v;
    }

    HeldLocks(long threadId, java.lang.ref.WeakReference<Thread> self) {
        this.threadId = threadId;
        this.self = self;
    }

    static long mix(long prev, int classId, byte mode, boolean trylock) {
        long h = prev * 0x9E3779B97F4A7C15L + (((long) classId << 2) | ((long) mode << 1) | (trylock ? 1 : 0));
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return h == 0 ? 1 : h;
    }

    long topChain() {
        return depth == 0 ? SEED : chains[depth - 1];
    }

    /** Index of the held entry for this identity (any mode), or -1. */
    int indexOf(Object identity) {
        for (int i = depth - 1; i >= 0; i--) {
            if (identities[i] == identity) {
                return i;
            }
        }
        return -1;
    }

    boolean push(Object identity, int classId, byte mode, byte flag, long chain) {
        int d = depth;
        if (d == identities.length) {
            if (d >= AgentConfig.maxHeldDepth) {
                AgentCounters.depthOverflows++;
                return false;
            }
            grow();
        }
        identities[d] = identity;
        classIds[d] = classId;
        modes[d] = mode;
        flags[d] = flag;
        chains[d] = chain;
        if (AgentConfig.holdThresholdNanos > 0) {
            since[d] = System.nanoTime();
        }
        if (LockClasses.kind(classId) == LockClasses.KIND_STAMPED_LOCK) {
            stampedCount++;
        }
        depth = d + 1;
        return true;
    }

    private void grow() {
        int n = Math.min(identities.length * 2, Math.max(AgentConfig.maxHeldDepth, identities.length + 1));
        identities = java.util.Arrays.copyOf(identities, n);
        classIds = java.util.Arrays.copyOf(classIds, n);
        modes = java.util.Arrays.copyOf(modes, n);
        flags = java.util.Arrays.copyOf(flags, n);
        chains = java.util.Arrays.copyOf(chains, n);
        since = java.util.Arrays.copyOf(since, n);
    }

    /**
     * Removes entry i and recomputes the chain keys above it, as lockdep does after an
     * out-of-order release.
     */
    void remove(int i) {
        if (LockClasses.kind(classIds[i]) == LockClasses.KIND_STAMPED_LOCK) {
            stampedCount--;
        }
        int last = depth - 1;
        for (int j = i; j < last; j++) {
            identities[j] = identities[j + 1];
            classIds[j] = classIds[j + 1];
            modes[j] = modes[j + 1];
            flags[j] = flags[j + 1];
            since[j] = since[j + 1];
        }
        identities[last] = null;
        depth = last;
        for (int j = i; j < last; j++) {
            flags[j] &= ~FLAG_OWN_STACK; // its chain key changes: the recorded chain is no longer its own
            long prev = j == 0 ? SEED : chains[j - 1];
            chains[j] = (flags[j] & FLAG_REENTRANT) != 0 ? prev
                    : mix(prev, classIds[j], modes[j], (flags[j] & FLAG_TRYLOCK) != 0);
        }
    }

    /**
     * Drops StampedLock entries whose lock is no longer held in that mode: a StampedLock may be
     * released by another thread, which cannot reach this stack. Returns whether anything changed.
     */
    boolean pruneStale() {
        if (stampedCount == 0) {
            return false;
        }
        boolean changed = false;
        for (int i = depth - 1; i >= 0; i--) {
            if (LockClasses.kind(classIds[i]) != LockClasses.KIND_STAMPED_LOCK) {
                continue;
            }
            java.util.concurrent.locks.StampedLock sl = (java.util.concurrent.locks.StampedLock) identities[i];
            boolean held = modes[i] == WRITE ? sl.isWriteLocked() : sl.isReadLocked();
            if (!held) {
                remove(i);
                AgentCounters.staleHeldLocks++;
                changed = true;
            }
        }
        return changed;
    }
}
