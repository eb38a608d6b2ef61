package io.lockdep4j.analyzers.testing;

import io.lockdep4j.events.AgentStatisticsEvent;
import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commits synthetic lockdep4j events the way the agent would. It lives in an io.lockdep4j package
 * so that its frames are trimmed from stacks like the agent's, leaving the com.acme.app frames
 * that called it.
 */
public final class Emit {
    private Emit() {}

    private static final AtomicLong IDS = new AtomicLong(1000);

    /** An edge to emit: holding {@code held} in {@code heldMode}, acquire {@code acquired}. */
    public record Edge(String held, String heldMode, String acquired, String acquiredMode, boolean trylock,
                       String otherHeld, boolean anotherThread) {
        public Edge modes(String h, String a) {
            return new Edge(held, h, acquired, a, trylock, otherHeld, anotherThread);
        }

        public Edge tryLock() {
            return new Edge(held, heldMode, acquired, acquiredMode, true, otherHeld, anotherThread);
        }

        public Edge otherHeld(String s) {
            return new Edge(held, heldMode, acquired, acquiredMode, trylock, s, anotherThread);
        }

        public Edge onAnotherThread() {
            return new Edge(held, heldMode, acquired, acquiredMode, trylock, otherHeld, true);
        }
    }

    public static Edge edge(String held, String acquired) {
        return new Edge(held, "write", acquired, "write", false, "", false);
    }

    /** A LockChain event: {@code lock} taken in {@code mode}; returns its chain id. */
    public static long chain(String lock, String mode) {
        long id = IDS.incrementAndGet();
        LockChainEvent e = new LockChainEvent();
        e.chainId = id;
        e.parentChainId = 0;
        e.lock = lock;
        e.kind = "read".equals(mode) ? "ReentrantReadWriteLock" : "ReentrantLock";
        e.mode = mode;
        e.trylock = false;
        e.depth = 0;
        e.heldLocks = "";
        e.commit();
        return id;
    }

    /** A LockOrderEdge event whose held lock was taken in chain {@code heldChainId}. */
    public static void edge(Edge spec, long heldChainId) {
        LockOrderEdgeEvent e = new LockOrderEdgeEvent();
        e.heldLock = spec.held();
        e.heldMode = spec.heldMode();
        e.heldKind = "read".equals(spec.heldMode()) ? "ReentrantReadWriteLock" : "ReentrantLock";
        e.acquiredLock = spec.acquired();
        e.acquiredMode = spec.acquiredMode();
        e.acquiredKind = "read".equals(spec.acquiredMode()) ? "ReentrantReadWriteLock" : "monitor";
        e.trylock = spec.trylock();
        e.heldChainId = heldChainId;
        e.heldStackOnThisThread = true; // the tests emit the chain on the thread that takes the edge
        e.acquiredChainId = IDS.incrementAndGet();
        e.otherHeld = spec.otherHeld();
        e.heldInstance = java.util.Objects.hashCode(spec.held());
        e.acquiredInstance = java.util.Objects.hashCode(spec.acquired());
        e.anotherThread = spec.anotherThread();
        e.commit();
    }

    public static void statistics(long edges, long droppedEdges) {
        AgentStatisticsEvent e = new AgentStatisticsEvent();
        e.version = "test-agent";
        e.options = "";
        e.edges = edges;
        e.droppedEdges = droppedEdges;
        e.commit();
    }
}
