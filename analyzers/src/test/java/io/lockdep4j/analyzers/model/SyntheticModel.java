package io.lockdep4j.analyzers.model;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a {@link LockModel} straight from lock-order edges, without JFR: for graph-sized tests
 * (10^5 lock classes, 10^6 edges) where writing and parsing a recording would dominate. It uses the
 * same containers as {@link ModelBuilder}, so memory and time of the rules and reports are those of
 * a real model. Every edge gets one exclusive (write -> write) observation on one of two threads,
 * without stacks, like a recording made with stack traces disabled.
 *
 * <pre>{@code
 * SyntheticModel s = new SyntheticModel();
 * s.edge("A", "B");
 * s.edge("B", "A");
 * LockModel model = s.build();
 * }</pre>
 */
public final class SyntheticModel {
    private static final ThreadRef T1 = new ThreadRef(0, 1, "worker-1");
    private static final ThreadRef T2 = new ThreadRef(0, 2, "worker-2");

    private final SortedMap<String, SortedSet<String>> lockClasses = new TreeMap<>();
    private final Map<String, Map<String, LockEdge>> edges = new TreeMap<>();
    private final Set<String> writeLocked = new HashSet<>();
    private long chainIds;
    private long added;

    /** Adds {@code from -> to} (again: a second observation on the other thread). */
    public SyntheticModel edge(String from, String to) {
        lockClasses.computeIfAbsent(from, k -> new TreeSet<>()).add("ReentrantLock");
        lockClasses.computeIfAbsent(to, k -> new TreeSet<>()).add("ReentrantLock");
        ThreadRef t = (added++ & 1) == 0 ? T1 : T2;
        EdgeObservation o = new EdgeObservation("write", "ReentrantLock", "write", "ReentrantLock", false, t, List.of(),
                ++chainIds, false, ++chainIds, List.of(), from.hashCode(), to.hashCode(), false, false, false);
        edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new LockEdge(from, to)).add(o);
        writeLocked.add(from);
        writeLocked.add(to);
        return this;
    }

    public long edgesAdded() {
        return added;
    }

    public LockModel build() {
        RecordingSummary r = new RecordingSummary(0, Path.of("synthetic.jfr").toString());
        r.events = added;
        r.lockdepEvents = added;
        r.agentVersion = "synthetic";
        return new LockModel(List.of(r), lockClasses, edges, new HashMap<>(), new HashMap<>(), new HashMap<>(), writeLocked,
                new ReleasePaths());
    }
}
