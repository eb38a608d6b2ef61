package io.lockdep4j.events;

/**
 * When a cycle of lock-order edges can really deadlock: the rules that the offline analyzer
 * ({@code LockOrderCycleRule}) and the agent's online check ({@code onCycle}) both apply, kept in
 * one place so that the two can never judge one cycle differently.
 *
 * <ul>
 *   <li>An edge whose acquisition was a tryLock never waits, and a self-edge (two instances of one
 *       lock class nested) is no cycle: neither is part of the graph that is searched.</li>
 *   <li>Each lock of the cycle must make its waiter wait: see {@link #blocks}.</li>
 *   <li>A gate lock serialises the cycle: the same instance of one lock class, held in write mode
 *       beside every edge. A lock held only in read mode is shared and gates nothing
 *       ({@link #canGate}). A gate class that was seen with more than one instance is not trusted,
 *       because the agent records an edge once per set of gate classes.</li>
 * </ul>
 */
public final class LockOrderRules {
    private LockOrderRules() {}

    /**
     * Lock L of a cycle, entered by the edge that acquired it and left by the edge that held it,
     * blocks its waiter if either mode is write. Read on both sides blocks only when some thread
     * write-locks L somewhere: a queued writer makes new readers wait (non-recursive readers, as
     * lockdep).
     */
    public static boolean blocks(boolean acquiredWrite, boolean heldWrite, boolean writeLockedSomewhere) {
        return acquiredWrite || heldWrite || writeLockedSomewhere;
    }

    /** Whether an edge's acquisition can wait, and so close a cycle. */
    public static boolean canWait(boolean trylock, boolean sameLockClass) {
        return !trylock && !sameLockClass;
    }

    /** Whether another lock held beside an edge can serialise the cycle as a gate. */
    public static boolean canGate(boolean heldWrite) {
        return heldWrite;
    }
}
