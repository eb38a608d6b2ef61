package io.lockdep4j.analyzers.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Everything the rules need, aggregated over all recordings in one pass: lock classes, lock-order
 * edges with their observations, lock chains (for the stack where an edge's held lock was taken),
 * where each lock class was write-locked, and per-recording agent statistics. Built by
 * {@link ModelBuilder}; read-only afterwards.
 *
 * <pre>{@code
 * ModelBuilder b = new ModelBuilder();
 * new RecordingReader(null).read(List.of(Path.of("app.jfr")), b);
 * LockModel model = b.build();
 * model.edges().forEach(e -> System.out.println(e.from() + " -> " + e.to()));
 * }</pre>
 */
public final class LockModel {
    private final List<RecordingSummary> recordings;
    private final SortedMap<String, SortedSet<String>> lockClasses;
    private final Map<String, Map<String, LockEdge>> edges;
    private final Map<ModelBuilder.ChainKey, ChainInfo> chains;
    private final Map<ModelBuilder.ThreadChainKey, ChainInfo> threadChainStacks;
    private final Map<String, List<WriterSite>> writers;
    private final Set<String> writeLocked;
    private final long edgeCount;
    private final ReleasePaths releasePaths;

    LockModel(List<RecordingSummary> recordings, SortedMap<String, SortedSet<String>> lockClasses,
              Map<String, Map<String, LockEdge>> edges, Map<ModelBuilder.ChainKey, ChainInfo> chains,
              Map<ModelBuilder.ThreadChainKey, ChainInfo> threadChainStacks, Map<String, List<WriterSite>> writers, Set<String> writeLocked, ReleasePaths releasePaths) {
        this.releasePaths = releasePaths;
        this.recordings = List.copyOf(recordings);
        this.lockClasses = lockClasses;
        this.edges = edges;
        this.chains = chains;
        this.threadChainStacks = threadChainStacks;
        this.writers = writers;
        this.writeLocked = writeLocked;
        this.edgeCount = edges.values().stream().mapToLong(Map::size).sum();
    }

    public List<RecordingSummary> recordings() {
        return recordings;
    }

    /** All lock classes seen, sorted. */
    public Set<String> lockClasses() {
        return Collections.unmodifiableSet(lockClasses.keySet());
    }

    /** The kinds (monitor, ReentrantLock...) under which a lock class was seen. */
    public Set<String> kinds(String lockClass) {
        SortedSet<String> k = lockClasses.get(lockClass);
        return k == null ? Set.of() : Collections.unmodifiableSet(k);
    }

    /** Every edge, self-edges included, grouped by source lock class. */
    public Collection<LockEdge> edges() {
        return edges.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    public long edgeCount() {
        return edgeCount;
    }

    public Optional<LockEdge> edge(String from, String to) {
        Map<String, LockEdge> m = edges.get(from);
        return Optional.ofNullable(m == null ? null : m.get(to));
    }

    /** Closes, forces, releases, waits, leaks...: the release-path facts, aggregated in the same pass as the lock graph. */
    public ReleasePaths releasePaths() {
        return releasePaths;
    }

    /** Every LockChain event kept (first acquisition of a lock with a given held set). */
    public Collection<ChainInfo> chains() {
        return Collections.unmodifiableCollection(chains.values());
    }

    public int chainCount() {
        return chains.size();
    }

    public Optional<ChainInfo> chain(int recording, long chainId) {
        return Optional.ofNullable(chains.get(new ModelBuilder.ChainKey(recording, chainId)));
    }

    /**
     * Where the edge's thread took the held lock on this path: the stack of its own sighting of the
     * held chain, when the agent says that sighting was this very acquisition
     * ({@code heldStackOnThisThread}). Empty otherwise: the thread took the held lock through a
     * chain it or another thread had already recorded, and the stack of that other sighting belongs
     * to another path (or the event is missing). See {@link HeldStackText} for what to say then.
     */
    public Optional<List<String>> heldStack(EdgeObservation o) {
        if (!o.heldStackOnThisThread()) {
            return Optional.empty();
        }
        return Optional.ofNullable(threadChainStacks.get(new ModelBuilder.ThreadChainKey(
                o.thread().recording(), o.heldChainId(), o.thread().javaThreadId()))).map(ChainInfo::stack);
    }

    /**
     * Every recorded sighting of every chain: the agent records a chain's first thread and its
     * second (each with its own stack), so a lock class taken by two threads shows both.
     */
    public Collection<ChainInfo> chainSightings() {
        return Collections.unmodifiableCollection(threadChainStacks.values());
    }

    /** True if any thread of any recording took {@code lockClass} in write mode. */
    public boolean isWriteLocked(String lockClass) {
        return writeLocked.contains(lockClass);
    }

    /** Up to a few distinct places where {@code lockClass} was taken in write mode. */
    public List<WriterSite> writers(String lockClass) {
        return writers.getOrDefault(lockClass, List.of());
    }

    /** True if any recording's agent reported losing data; findings may then be missing. */
    public boolean incomplete() {
        return recordings.stream().anyMatch(RecordingSummary::incomplete);
    }

    public long totalEvents() {
        return recordings.stream().mapToLong(RecordingSummary::events).sum();
    }

    public long totalLockdepEvents() {
        return recordings.stream().mapToLong(RecordingSummary::lockdepEvents).sum();
    }
}
