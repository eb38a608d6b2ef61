package io.lockdep4j.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per lock instance, cheaply: the one thread that has locked it so far, or that a second thread
 * has (the "ever shared" bit). Only a thread that locked an instance can hold it, so a thread
 * locking an object it has just created ({@code Hooks.monitorEnterCreatedHere}) that no other
 * thread has locked yet could not wait: a state object locked before it is published. (The first
 * lock alone proves nothing: a long-lived lock is often first locked on a nested path, and two
 * threads' timing decided who came first.) Lock classes stay the unit of ordering; this only
 * grades the evidence (see Recorder's UNPUBLISHED_ONLY).
 *
 * <p>Keyed by identity hash, without references (nothing kept alive, nothing allocated): each
 * slot is {@code hash << 32 | first thread} or {@code hash << 32 | SHARED}. Instances with the
 * same hash, and a dead instance's slot that a new one inherits, merge into one entry, which can
 * only make an instance look shared, never unshared. Bounded: a fixed table, probes bounded.
 *
 * <p>A server fills the table: every per-call object it ever locked keeps a slot, and the dead
 * are not told from the live (the sample NFS server under load: 564,148 acquisitions found no
 * slot in 50 s, each paying eight probes and a counter every core wrote). So a new instance whose
 * probes are all taken evicts one instance that only one thread ever locked and that was never
 * claimed: most likely a dead per-call object. If it is alive, the next thread to lock it is
 * recorded as its first locker, so it looks unshared to that thread until its first locker or a
 * third thread locks it again; an instance only one thread uses after the eviction blocks no
 * other thread anyway. Shared and claimed slots are never evicted (forgetting that an instance
 * was shared would make it look unshared again; a claim waits for its report); an instance that
 * finds only such slots counts as shared (today's claim, by class), and is counted, one in 64.
 */
final class SharedInstances {
    private SharedInstances() {}

    static final int CAPACITY = 1 << 17; // 1 MB
    private static final int MASK = CAPACITY - 1;
    private static final int PROBES = 8;
    private static final int OWNER_BITS = 0x7FFFFFFF;
    /** The owner field of a slot that a second thread has locked. */
    private static final int SHARED = OWNER_BITS;
    /** Set while the instance was held during a blocking call (claim): its sharing is then reported. */
    private static final int CLAIMED = 0x80000000;
    private static final AtomicLongArray SLOTS = new AtomicLongArray(CAPACITY);

    /** This is the instance's first lock by any thread. */
    static final byte FIRST = 0;
    /** Only this thread has locked it before. */
    static final byte OWN = 1;
    /** Another thread has locked it (or its slot is shared with another instance, or untracked). */
    static final byte LOCKED_BY_ANOTHER = 2;
    /** As LOCKED_BY_ANOTHER, and this is the first lock by another thread of an instance held during a blocking call. */
    static final byte SHARED_AFTER_CLAIM = 3;

    /** Acquisitions that found no slot (treated as shared), sampled one in 64 by hash. Racy, as the other statistics. */
    static long untracked;

    /**
     * Notes that thread {@code threadId} is acquiring the instance whose identity hash is
     * {@code identityHash}: who had locked it before. The common case (this thread's own instance,
     * or one already shared) is one slot read; claiming a slot and sharing it are out of line.
     */
    static byte acquiring(int identityHash, long threadId) {
        int hash = identityHash == 0 ? 1 : identityHash; // 0 marks an empty slot
        int me = ownerOf(threadId);
        int i = spread(hash) & MASK;
        long v = SLOTS.get(i);
        if ((int) (v >>> 32) == hash) {
            int owner = (int) v & OWNER_BITS;
            if (owner == me) {
                return OWN;
            }
            if (owner == SHARED) {
                return LOCKED_BY_ANOTHER;
            }
        }
        return acquiringFrom(i, hash, me);
    }

    private static byte acquiringFrom(int i, int hash, int me) {
        long mine = (long) hash << 32 | (me & 0xFFFFFFFFL);
        for (int n = 0; n < PROBES; n++, i = (i + 1) & MASK) {
            long v = SLOTS.get(i);
            if (v == 0) {
                if (SLOTS.compareAndSet(i, 0, mine)) {
                    return FIRST;
                }
                v = SLOTS.get(i); // another thread took the slot: it may be this very instance
            }
            if ((int) (v >>> 32) != hash) {
                continue;
            }
            int owner = (int) v & OWNER_BITS;
            if (owner == me) {
                return OWN;
            }
            if (owner != SHARED && SLOTS.compareAndSet(i, v, (long) hash << 32 | SHARED)) {
                return ((int) v & CLAIMED) != 0 ? SHARED_AFTER_CLAIM : LOCKED_BY_ANOTHER;
            }
            return LOCKED_BY_ANOTHER;
        }
        return evictFor(i, hash, mine);
    }

    /** All PROBES slots from home are other instances': takes one that a single thread locked, unclaimed. */
    private static byte evictFor(int end, int hash, long mine) {
        int home = (end - PROBES) & MASK;
        int skip = (hash >>> 24) & (PROBES - 1); // spread the victims over the probe window
        for (int n = 0; n < PROBES; n++) {
            int i = (home + ((skip + n) & (PROBES - 1))) & MASK;
            long v = SLOTS.get(i);
            int owner = (int) v & OWNER_BITS;
            if (v != 0 && owner != SHARED && ((int) v & CLAIMED) == 0 && SLOTS.compareAndSet(i, v, mine)) {
                return FIRST;
            }
        }
        if ((hash & 63) == 0) {
            untracked += 64; // sampled: a counter every thread wrote on every such acquisition cost more than the probes
        }
        return LOCKED_BY_ANOTHER;
    }

    /**
     * Thread {@code threadId} holds {@code identity} during a blocking call: true if no other thread
     * has locked it so far, and then its first lock by another thread is reported (acquiring returns
     * SHARED_AFTER_CLAIM). Off the hot path.
     */
    static boolean claimUnshared(Object identity, long threadId) {
        int hash = hashOf(identity);
        int me = ownerOf(threadId);
        int i = spread(hash) & MASK;
        for (int n = 0; n < PROBES; n++, i = (i + 1) & MASK) {
            long v = SLOTS.get(i);
            if (v == 0) {
                return false; // held but never seen (taken before the agent started): unknown
            }
            if ((int) (v >>> 32) != hash) {
                continue;
            }
            if (((int) v & OWNER_BITS) != me) {
                return false;
            }
            return ((int) v & CLAIMED) != 0 || SLOTS.compareAndSet(i, v, v | (CLAIMED & 0xFFFFFFFFL));
        }
        return false;
    }

    private static int hashOf(Object identity) {
        int hash = System.identityHashCode(identity);
        return hash == 0 ? 1 : hash; // 0 marks an empty slot
    }

    private static int ownerOf(long threadId) {
        int me = (int) threadId & OWNER_BITS;
        return me == SHARED ? SHARED - 1 : me;
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }
}
