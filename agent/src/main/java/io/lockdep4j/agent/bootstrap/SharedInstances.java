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
 * only make an instance look shared, never unshared. Bounded: a fixed table, probes bounded;
 * an instance that finds no slot counts as shared (today's claim, by class) and is counted. Slots
 * are never evicted: forgetting that an instance was shared would make it look unshared again.
 */
final class SharedInstances {
    private SharedInstances() {}

    static final int CAPACITY = 1 << 17; // 1 MB
    private static final int MASK = CAPACITY - 1;
    private static final int PROBES = 8;
    private static final int SHARED = -1;
    private static final AtomicLongArray SLOTS = new AtomicLongArray(CAPACITY);

    /** This is the instance's first lock by any thread. */
    static final byte FIRST = 0;
    /** Only this thread has locked it before. */
    static final byte OWN = 1;
    /** Another thread has locked it (or its slot is shared with another instance, or untracked). */
    static final byte LOCKED_BY_ANOTHER = 2;

    /** Instances that found no slot (treated as shared). Racy counter, as the other statistics. */
    static long untracked;

    /** Notes that thread {@code threadId} is acquiring {@code identity}: who had locked it before. */
    static byte acquiring(Object identity, long threadId) {
        int hash = System.identityHashCode(identity);
        if (hash == 0) {
            hash = 1; // 0 marks an empty slot
        }
        int me = (int) threadId;
        if (me == SHARED) {
            me = -2;
        }
        long mine = (long) hash << 32 | (me & 0xFFFFFFFFL);
        int i = spread(hash) & MASK;
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
            int owner = (int) v;
            if (owner == me) {
                return OWN;
            }
            if (owner != SHARED) {
                SLOTS.compareAndSet(i, v, (long) hash << 32 | (SHARED & 0xFFFFFFFFL));
            }
            return LOCKED_BY_ANOTHER;
        }
        untracked++;
        return LOCKED_BY_ANOTHER;
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }
}
