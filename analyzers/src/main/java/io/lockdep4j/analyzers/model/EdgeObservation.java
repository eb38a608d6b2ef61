package io.lockdep4j.analyzers.model;

import java.util.List;

/**
 * One {@code lockdep4j.LockOrderEdge} event: the agent saw a thread holding {@code heldMode} on
 * the edge's source lock class acquire the target in {@code acquiredMode}. The same edge is seen
 * again for another combination of modes, another set of other held locks, or a second thread.
 *
 * @param acquireStack trimmed stack where the target lock was acquired
 * @param heldChainId the {@code lockdep4j.LockChain} (same recording) whose stack shows where the
 *     held lock was taken; see {@link LockModel#heldStack(EdgeObservation)}
 * @param heldStackOnThisThread the agent saw this thread's acquisition of the held lock emit that
 *     chain's event, so this thread's sighting of it is this path's stack
 * @param otherHeld other locks held at the time: candidate gates
 * @param fromSummary known only from the agent's {@code lockdep4j.LockGraphSummary}: JFR lost the
 *     edge's own event, so there is no acquire stack (and the thread may be known by id only)
 * @param acquiredUnpublished this acquisition was the acquired instance's first lock by any thread,
 *     so it could not wait (the agent records the edge again once it is taken on an instance
 *     locked before)
 */
public record EdgeObservation(
        String heldMode,
        String heldKind,
        String acquiredMode,
        String acquiredKind,
        boolean trylock,
        ThreadRef thread,
        List<String> acquireStack,
        long heldChainId,
        boolean heldStackOnThisThread,
        long acquiredChainId,
        List<HeldLock> otherHeld,
        int heldInstance,
        int acquiredInstance,
        boolean anotherThread,
        boolean fromSummary,
        boolean acquiredUnpublished) {

    public boolean heldWrite() {
        return "write".equals(heldMode);
    }

    public boolean acquiredWrite() {
        return "write".equals(acquiredMode);
    }
}
