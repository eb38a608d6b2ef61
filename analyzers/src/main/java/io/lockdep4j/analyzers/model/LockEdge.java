package io.lockdep4j.analyzers.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A lock-order dependency between two lock classes, {@code from -> to} ("holding from, acquired
 * to"), with every distinct observation of it from all recordings. Observations are deduplicated
 * and capped, so memory grows with the number of distinct edges, not with the event count.
 */
public final class LockEdge {
    /** More observations of one edge than this are counted but not kept. */
    public static final int MAX_OBSERVATIONS = 256;

    private final String from;
    private final String to;
    /**
     * Up to this many observations, duplicates are found by a scan. Most edges are observed once or
     * twice, and a set per edge costs about 200 bytes: 200 MB of a 10^6-edge graph.
     */
    private static final int SCAN_UP_TO = 8;

    private final List<EdgeObservation> observations = new ArrayList<>(1);
    private Set<EdgeObservation> seen; // created when there are more than SCAN_UP_TO observations
    private long droppedObservations;

    LockEdge(String from, String to) {
        this.from = from;
        this.to = to;
    }

    void add(EdgeObservation o) {
        if (seen != null ? seen.contains(o) : observations.contains(o)) {
            return;
        }
        if (observations.size() >= MAX_OBSERVATIONS) {
            droppedObservations++;
            return;
        }
        observations.add(o);
        if (seen != null) {
            seen.add(o);
        } else if (observations.size() > SCAN_UP_TO) {
            seen = new HashSet<>(observations);
        }
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public boolean isSelfEdge() {
        return from.equals(to);
    }

    public List<EdgeObservation> observations() {
        return Collections.unmodifiableList(observations);
    }

    /** Observations of a blocking acquisition: a trylock cannot wait, so it never closes a cycle. */
    public List<EdgeObservation> blockingObservations() {
        List<EdgeObservation> out = new ArrayList<>();
        for (EdgeObservation o : observations) {
            if (!o.trylock()) {
                out.add(o);
            }
        }
        return out;
    }

    /** True if some observation was a blocking acquisition ({@link #blockingObservations()} is not empty), without copying. */
    public boolean hasBlockingObservation() {
        for (EdgeObservation o : observations) {
            if (!o.trylock()) {
                return true;
            }
        }
        return false;
    }

    public long droppedObservations() {
        return droppedObservations;
    }

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
