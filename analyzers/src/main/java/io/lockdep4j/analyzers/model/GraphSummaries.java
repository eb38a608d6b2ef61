package io.lockdep4j.analyzers.model;

import io.lockdep4j.analyzers.read.SummaryEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The agent's {@code lockdep4j.LockGraphSummary} events of each recording: at each chunk end, the
 * edges it learned since the previous one, without stacks. When the model is built, each summary
 * edge that no LockOrderEdge event of the same recording shows (same held and acquired chain: the
 * same observation) becomes an observation marked {@code fromSummary}; so does a second thread the
 * summary knows of when the event saying so was lost. JFR loses events when its buffers are full
 * ({@code jdk.DataLoss}) and silently when its in-memory ring wraps; either way this completes the
 * lock graph, and the findings say which edges rest on it.
 */
final class GraphSummaries {
    private record Key(int held, int acquired, long heldChain, long acquiredChain) {}

    /** Per recording: class names, the distinct summary edges, and which generations were read whole. */
    private static final class PerRecording {
        final Map<Integer, SummaryEvents.LockName> names = new HashMap<>();
        final Map<Key, SummaryEvents.SummaryEdge> edges = new LinkedHashMap<>();
        final Map<Long, Integer> parts = new HashMap<>();
        final Map<Long, Set<Integer>> partsSeen = new HashMap<>();
        long newestGeneration;
        long droppedEdges;
        long malformed;
    }

    private final Map<Integer, PerRecording> recordings = new HashMap<>();

    void add(int recording, SummaryEvents.LockGraphSummary s) {
        PerRecording r = recordings.computeIfAbsent(recording, k -> new PerRecording());
        r.names.putAll(s.locks());
        for (SummaryEvents.SummaryEdge e : s.edges()) {
            Key k = new Key(e.heldClass(), e.acquiredClass(), e.heldChainId(), e.acquiredChainId());
            SummaryEvents.SummaryEdge old = r.edges.putIfAbsent(k, e);
            if (old != null && e.multiThread() && !old.multiThread()) {
                r.edges.put(k, e); // a later generation saw a second thread
            }
        }
        r.parts.put(s.generation(), s.parts());
        r.partsSeen.computeIfAbsent(s.generation(), g -> new HashSet<>()).add(s.part());
        if (s.generation() >= r.newestGeneration) {
            r.newestGeneration = s.generation();
            r.droppedEdges = s.droppedEdges();
        }
        r.malformed += s.malformed();
    }

    /**
     * Adds the summary-only observations to {@code graph} and records in each recording's summary
     * how many there were and whether its summaries were whole.
     */
    void complete(Map<String, Map<String, LockEdge>> graph, Map<Integer, RecordingSummary> byIndex, ValueCache values,
                  BiConsumer<String, String> lockClass, Consumer<String> writeLocked) {
        recordings.forEach((index, r) -> {
            long recovered = 0;
            long recoveredThreads = 0;
            for (SummaryEvents.SummaryEdge e : r.edges.values()) {
                SummaryEvents.LockName heldName = r.names.get(e.heldClass());
                SummaryEvents.LockName acquiredName = r.names.get(e.acquiredClass());
                List<HeldLock> other = other(e, r.names, values);
                if (heldName == null || acquiredName == null || other == null) {
                    r.malformed++; // named in a part that is not in this file
                    continue;
                }
                String held = values.intern(heldName.name());
                String acquired = values.intern(acquiredName.name());
                lockClass.accept(held, values.intern(heldName.kind()));
                lockClass.accept(acquired, values.intern(acquiredName.kind()));
                LockEdge edge = graph.computeIfAbsent(held, x -> new TreeMap<>()).computeIfAbsent(acquired, x -> new LockEdge(held, acquired));
                boolean seen = false;
                boolean seenAnother = false;
                for (EdgeObservation o : edge.observations()) {
                    if (!o.fromSummary() && o.thread().recording() == index && o.heldChainId() == e.heldChainId()
                            && o.acquiredChainId() == e.acquiredChainId()) {
                        seen = true;
                        seenAnother |= o.anotherThread();
                    }
                }
                // an edge observed more often than LockEdge keeps may have dropped the very event: not "lost"
                boolean full = edge.observations().size() >= LockEdge.MAX_OBSERVATIONS;
                if (!seen && !full) {
                    ThreadRef thread = new ThreadRef(index, e.threadId(), values.intern(e.threadName()));
                    edge.add(observation(e, heldName, acquiredName, thread, other, values, false));
                    recovered++;
                    if (!"read".equals(e.acquiredMode())) {
                        writeLocked.accept(acquired);
                    }
                    if (!"read".equals(e.heldMode())) {
                        writeLocked.accept(held);
                    }
                }
                if (e.multiThread() && !seenAnother && !full) {
                    // the agent knows a second thread took this edge; which one, only the lost event said
                    ThreadRef another = new ThreadRef(index, -1, "(another thread: its event was lost)");
                    edge.add(observation(e, heldName, acquiredName, another, other, values, true));
                    recoveredThreads++;
                }
            }
            RecordingSummary summary = byIndex.get(index);
            if (summary != null) {
                summary.summaryEdges = r.edges.size();
                summary.summaryOnlyEdges = recovered;
                summary.summaryOnlyThreads = recoveredThreads;
                summary.summaryComplete = whole(r);
            }
        });
    }

    /** The other held locks with their names, or null when one is not named in this recording. */
    private static List<HeldLock> other(SummaryEvents.SummaryEdge e, Map<Integer, SummaryEvents.LockName> names, ValueCache values) {
        if (e.otherHeld().isEmpty()) {
            return List.of();
        }
        List<HeldLock> out = new ArrayList<>(e.otherHeld().size());
        for (SummaryEvents.OtherHeld o : e.otherHeld()) {
            SummaryEvents.LockName n = names.get(o.classId());
            if (n == null) {
                return null;
            }
            out.add(new HeldLock(values.intern(n.name()), o.mode(), o.instance()));
        }
        return List.copyOf(out);
    }

    /** Generations 1..newest all present with all their parts, nothing dropped or unreadable. */
    private static boolean whole(PerRecording r) {
        if (r.newestGeneration < 1 || r.droppedEdges > 0 || r.malformed > 0) {
            return false;
        }
        for (long g = 1; g <= r.newestGeneration; g++) {
            Integer expected = r.parts.get(g);
            if (expected == null || r.partsSeen.get(g).size() != expected) {
                return false;
            }
        }
        return true;
    }

    private static EdgeObservation observation(SummaryEvents.SummaryEdge e, SummaryEvents.LockName held,
                                               SummaryEvents.LockName acquired, ThreadRef thread, List<HeldLock> other,
                                               ValueCache values, boolean anotherThread) {
        return new EdgeObservation(e.heldMode(), values.intern(held.kind()), e.acquiredMode(), values.intern(acquired.kind()),
                e.trylock(), thread, List.of(), e.heldChainId(), false, e.acquiredChainId(), other, e.heldInstance(),
                e.acquiredInstance(), anotherThread, true, false);
    }
}
