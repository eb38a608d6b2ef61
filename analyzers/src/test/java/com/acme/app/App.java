package com.acme.app;

import io.lockdep4j.analyzers.testing.Emit;

/**
 * Stands in for application code: its frames are what reports must show. {@link #nested} takes
 * the held lock (the LockChain stack), then {@link #inner} acquires the next one (the edge stack).
 */
public final class App {
    private App() {}

    public static void nested(Emit.Edge edge) {
        long chain = Emit.chain(edge.held(), edge.heldMode());
        inner(edge, chain);
    }

    static void inner(Emit.Edge edge, long chain) {
        Emit.edge(edge, chain);
    }

    /** Takes {@code lock} in write mode with nothing held. */
    public static void writeLock(String lock) {
        Emit.chain(lock, "write");
    }
}
