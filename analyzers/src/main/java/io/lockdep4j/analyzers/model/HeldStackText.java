package io.lockdep4j.analyzers.model;

/**
 * What to say when the stack of an edge's held lock on this path is not known. The agent records a
 * stack only for a thread's first sighting of a lock chain; a later acquisition through the same
 * chain, by this thread or a third one, records nothing, and the stack of the chain's first
 * sighting belongs to another path, so it is never shown as this one.
 */
public final class HeldStackText {
    private HeldStackText() {}

    /** One sentence, without a trailing newline. */
    public static String unknown(EdgeObservation o) {
        StringBuilder s = new StringBuilder("not recorded for this path: this thread took it through a lock chain")
                .append(" already recorded, which records no stack");
        if ("monitor".equals(o.heldKind())) {
            // a monitor is block-structured: the frame that entered it has not returned yet
            s.append("; a monitor is held by a frame that is still on the stack below");
        }
        return s.toString();
    }
}
