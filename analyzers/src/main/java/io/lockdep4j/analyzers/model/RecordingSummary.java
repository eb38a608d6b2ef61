package io.lockdep4j.analyzers.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one recording contributed: event counts, the agent's version and options, and its
 * counters (the maximum of each {@code lockdep4j.AgentStatistics} field over the recording, since
 * they only grow). Non-zero drop counters mean the agent missed part of the lock graph, and a
 * report built from the recording is incomplete.
 */
public final class RecordingSummary {
    /**
     * Counters that, when non-zero, mean the lock graph is missing something: a table was full, or
     * the agent could not instrument a class (its locks are invisible) or its hooks failed (an
     * acquisition went unrecorded).
     */
    public static final List<String> LOSS_COUNTERS = List.of(
            "droppedLockClasses", "droppedChains", "droppedEdges", "depthOverflows", "droppedRegistrations",
            "transformFailures", "agentFailures");

    static final int MAX_AGENT_ERRORS = 20;

    private final int index;
    private final String path;
    long events;
    long lockdepEvents;
    String agentVersion;
    String agentOptions;
    final java.util.Set<String> orderedLockClasses = new java.util.TreeSet<>();
    final Map<String, Long> statistics = new TreeMap<>();
    final List<String> agentErrors = new ArrayList<>();
    long agentErrorCount;
    long eventsWithoutLockClass;
    long jfrDataLossEvents;
    long jfrDataLossBytes;
    final List<String> readWarnings = new ArrayList<>();
    long readLosses;
    long summaryEdges;
    long summaryOnlyEdges;
    long summaryOnlyThreads;
    boolean summaryComplete;

    RecordingSummary(int index, String path) {
        this.index = index;
        this.path = path;
    }

    public int index() {
        return index;
    }

    public String path() {
        return path;
    }

    public long events() {
        return events;
    }

    public long lockdepEvents() {
        return lockdepEvents;
    }

    /** The agent version from its statistics event, or null if the recording has none. */
    public String agentVersion() {
        return agentVersion;
    }

    public String agentOptions() {
        return agentOptions;
    }

    /** The agent's orderedLockClasses option: lock classes whose instances are always taken in one order. */
    public java.util.Set<String> orderedLockClasses() {
        return java.util.Collections.unmodifiableSet(orderedLockClasses);
    }

    public Map<String, Long> statistics() {
        return Collections.unmodifiableMap(statistics);
    }

    /** Distinct "kind: message" of the agent's own errors (at most 20 kept). */
    public List<String> agentErrors() {
        return Collections.unmodifiableList(agentErrors);
    }

    /**
     * LockChain/LockOrderEdge events whose lock class field was empty, so they were skipped. JDK 17
     * writes such events when one JVM makes a second recording: strings of 16-128 characters that
     * an earlier recording already used come out as null ("N/A" in {@code jfr print}).
     */
    public long eventsWithoutLockClass() {
        return eventsWithoutLockClass;
    }

    public long agentErrorCount() {
        return agentErrorCount;
    }

    /** {@code jdk.DataLoss} events in the recording: JFR discarded events because its buffers were full. */
    public long jfrDataLossEvents() {
        return jfrDataLossEvents;
    }

    /** Bytes of events JFR discarded (the sum of the {@code jdk.DataLoss} amounts). */
    public long jfrDataLossBytes() {
        return jfrDataLossBytes;
    }

    /** What the reader could not read of this recording (a killed JVM's unfinished chunk), one line each. */
    public List<String> readWarnings() {
        return Collections.unmodifiableList(readWarnings);
    }

    /** Distinct edges in the agent's lockdep4j.LockGraphSummary events (0 when the recording has none). */
    public long summaryEdges() {
        return summaryEdges;
    }

    /** Edges known only from the summary: JFR lost (or overwrote) their LockOrderEdge event. */
    public long summaryOnlyEdges() {
        return summaryOnlyEdges;
    }

    /** Second threads of an edge known only from the summary (the anotherThread event was lost). */
    public long summaryOnlyThreads() {
        return summaryOnlyThreads;
    }

    /**
     * The newest summary generation is whole (every part read, the agent kept every edge): the lock
     * graph is complete up to that chunk's end even when JFR lost edge events.
     */
    public boolean summaryComplete() {
        return summaryComplete;
    }

    /** JFR lost data, but the agent's whole summary restored every lock-order edge it lost. */
    public boolean lockGraphRestoredFromSummary() {
        return jfrDataLossEvents > 0 && summaryComplete;
    }

    /** What the agent dropped: one phrase per non-zero loss counter; empty when it dropped nothing. */
    public List<String> agentLossReasons() {
        List<String> out = new ArrayList<>();
        for (String c : LOSS_COUNTERS) {
            long v = statistics.getOrDefault(c, 0L);
            if (v > 0) {
                out.add(c + "=" + v);
            }
        }
        return out;
    }

    /** Why the recording is incomplete: the agent's losses, then JFR's own; empty when complete. */
    public List<String> incompleteReasons() {
        List<String> out = agentLossReasons();
        if (readLosses > 0) {
            out.add("unfinishedChunks=" + readLosses);
        }
        if (jfrDataLossEvents > 0 && !summaryComplete) { // else the summary restored the lock graph
            out.add("jfrDataLossBytes=" + jfrDataLossBytes);
        }
        return out;
    }

    public boolean incomplete() {
        return !incompleteReasons().isEmpty();
    }

    /** True when the file held no lockdep4j event at all (the agent was probably not attached). */
    public boolean noLockdepEvents() {
        return lockdepEvents == 0;
    }
}
