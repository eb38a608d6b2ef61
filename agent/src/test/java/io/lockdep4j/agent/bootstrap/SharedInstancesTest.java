package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The instance table once a server has filled it: new instances still get a slot (an instance one
 * thread locked gives way), while shared and claimed instances keep theirs.
 */
class SharedInstancesTest {
    private static final long A = 101, B = 102, C = 103;

    /**
     * Four tables' worth of one-thread instances, as a server's per-call objects. Their hashes are
     * even, the tests' own instances' odd: equal hashes would merge into one entry by design.
     */
    private static void flood(int salt) {
        for (int i = 0; i < 4 * SharedInstances.CAPACITY; i++) {
            SharedInstances.acquiring((i * 0x9E3779B1 + salt) << 1, C);
        }
    }

    @Test
    void aFullTableStillTracksNewInstances() {
        flood(1);
        long untracked = SharedInstances.untracked;
        int fresh = 0;
        for (int i = 0; i < 10_000; i++) {
            if (SharedInstances.acquiring((i * 0x7FEB352D) << 1 | 1, A) == SharedInstances.FIRST) {
                fresh++;
            }
        }
        assertEquals(10_000, fresh, "each new instance is its first lock, not 'shared' because the table is full");
        assertEquals(untracked, SharedInstances.untracked);
    }

    @Test
    void sharedAndClaimedInstancesSurviveTheFlood() {
        int shared = 0x5EED0001;
        SharedInstances.acquiring(shared, A);
        assertEquals(SharedInstances.LOCKED_BY_ANOTHER, SharedInstances.acquiring(shared, B));
        Object claimed;
        do {
            claimed = new Object();
        } while ((System.identityHashCode(claimed) & 1) == 0);
        int claimedHash = System.identityHashCode(claimed);
        SharedInstances.acquiring(claimedHash, A);
        assertTrue(SharedInstances.claimUnshared(claimed, A));

        flood(2);

        assertEquals(SharedInstances.LOCKED_BY_ANOTHER, SharedInstances.acquiring(shared, C),
                "once shared, never forgotten: a third thread does not become its first locker");
        assertEquals(SharedInstances.SHARED_AFTER_CLAIM, SharedInstances.acquiring(claimedHash, B),
                "the claim is still there to be reported when another thread locks it");
    }
}
