package io.lockdep4j.analyzers.model;

import io.lockdep4j.analyzers.read.EventDecoders;
import io.lockdep4j.analyzers.read.LockEvents;
import io.lockdep4j.analyzers.read.RecordingVisitor;
import io.lockdep4j.analyzers.read.ReleaseEvents;
import io.lockdep4j.analyzers.read.SummaryEvents;
import io.lockdep4j.events.EventNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import jdk.jfr.consumer.RecordedEvent;

/**
 * Builds a {@link LockModel} from the events of any number of recordings, in one pass and in any
 * event order (a LockOrderEdge may be read before the LockChain it refers to: chain stacks are
 * looked up when the model is queried, not when the edge is read).
 *
 * <p>Each event arrives decoded into its typed record ({@link EventDecoders}: fields read once,
 * missing fields as defaults, so recordings from an older or newer agent still load), usually by
 * the reader's parser thread ({@link #prepare}). Here, on the model thread, only what needs the
 * model's state is done: threads, stacks, strings and held-lock lists are resolved through a
 * {@link ValueCache}, the lock graph is aggregated here and the release paths by a
 * {@link ReleasePathBuilder}.
 */
public final class ModelBuilder implements RecordingVisitor {
    /** Distinct writer stacks kept per lock class; more are counted as one "writer" fact only. */
    static final int MAX_WRITERS_PER_LOCK = 5;

    record ChainKey(int recording, long chainId) {}

    /** One thread's sighting of a chain (the agent records the first two threads' sightings). */
    record ThreadChainKey(int recording, long chainId, long javaThreadId) {}

    private final ValueCache values = new ValueCache();
    private final ReleasePathBuilder releasePaths = new ReleasePathBuilder(values);
    private final SiteFacts facts = releasePaths.facts();
    private final List<RecordingSummary> recordings = new ArrayList<>();
    private final SortedMap<String, SortedSet<String>> lockClasses = new TreeMap<>();
    private final Map<String, Map<String, LockEdge>> edges = new TreeMap<>();
    private final Map<ChainKey, ChainInfo> chains = new HashMap<>();
    private final Map<ThreadChainKey, ChainInfo> threadChainStacks = new HashMap<>();
    private final Map<String, Map<List<String>, WriterSite>> writers = new HashMap<>();
    private final Set<String> writeLocked = new HashSet<>();
    private final GraphSummaries summaries = new GraphSummaries();
    private RecordingSummary current;

    @Override
    public void startRecording(int index, Path path) {
        current = new RecordingSummary(index, path.toString());
        recordings.add(current);
        values.newRecording();
    }

    @Override
    public void jfrDataLoss(int index, long bytes) {
        ensureRecording(index);
        current.jfrDataLossEvents++;
        current.jfrDataLossBytes += bytes;
    }

    @Override
    public void readWarning(int index, String message, boolean lost) {
        ensureRecording(index);
        current.readWarnings.add(message);
        current.readLosses += lost ? 1 : 0;
    }

    @Override
    public void endRecording(int index, Path path, long events, long lockdepEvents) {
        current.events = events;
    }

    @Override
    public void event(int index, RecordedEvent e) {
        visitPrepared(index, prepare(e));
    }

    /** Decodes {@code e} into its typed record; thread-safe, runs on the reader's parser thread. */
    @Override
    public Object prepare(RecordedEvent e) {
        return EventDecoders.decode(e);
    }

    /** One decoded event (or an undecoded one, when the reader's parser thread was the slower side). */
    @Override
    public void visitPrepared(int index, Object prepared) {
        ensureRecording(index);
        Object e = prepared instanceof RecordedEvent raw ? EventDecoders.decode(raw) : prepared;
        if (e instanceof LockEvents.LockOrderEdge x) {
            edge(index, x);
        } else if (e instanceof LockEvents.LockChain x) {
            chain(index, x);
        } else if (e instanceof ReleaseEvents.FileClose x) {
            releasePaths.close(index, x);
        } else if (e instanceof ReleaseEvents.FileForce x) {
            releasePaths.force(index, x);
        } else if (e instanceof ReleaseEvents.LockInstanceShared x) {
            releasePaths.instanceShared(index, x);
        } else if (e instanceof ReleaseEvents.Release x) {
            releasePaths.release(index, x);
        } else if (e instanceof ReleaseEvents.DeferredRun x) {
            releasePaths.deferredRun(index, x);
        } else if (e instanceof ReleaseEvents.WaitWhileHolding x) {
            releasePaths.waitWhileHolding(index, x);
        } else if (e instanceof ReleaseEvents.Signal x) {
            releasePaths.signal(index, x);
        } else if (e instanceof ReleaseEvents.FileOpen x) {
            releasePaths.fileOpen(index, x);
        } else if (e instanceof ReleaseEvents.ResourceLeak x) {
            facts.resourceLeak(index, x);
        } else if (e instanceof ReleaseEvents.RefcountUnderflow x) {
            facts.refcountUnderflow(index, x);
        } else if (e instanceof ReleaseEvents.UseAfterRelease x) {
            facts.useAfterRelease(index, x);
        } else if (e instanceof LockEvents.AgentStatistics x) {
            statistics(x);
        } else if (e instanceof LockEvents.AgentError x) {
            agentError(x);
        } else if (e instanceof SummaryEvents.LockGraphSummary x) {
            summaries.add(index, x);
        } // else contended/held/context events: nothing to aggregate yet
        current.lockdepEvents++;
    }

    /** Events without a startRecording call (a visitor fed directly) get a recording named by index. */
    private void ensureRecording(int index) {
        if (current == null || current.index() != index) {
            startRecording(index, Path.of("recording-" + (index + 1)));
        }
    }

    private void edge(int index, LockEvents.LockOrderEdge e) {
        String held = values.intern(e.held().lock());
        String acquired = values.intern(e.acquired().lock());
        if (held == null || acquired == null) {
            current.eventsWithoutLockClass++;
            return;
        }
        String heldKind = values.intern(e.held().kind());
        String acquiredKind = values.intern(e.acquired().kind());
        lockClass(held, heldKind);
        lockClass(acquired, acquiredKind);
        ThreadRef thread = values.thread(index, e.thread());
        List<String> stack = values.stack(e.stack());
        EdgeObservation o = new EdgeObservation(mode(e.held().mode()), heldKind, mode(e.acquired().mode()), acquiredKind,
                e.trylock(), thread, stack, e.held().chainId(), e.heldStackOnThisThread(), e.acquired().chainId(), values.held(e.otherHeld()),
                e.held().instance(), e.acquired().instance(), e.anotherThread(), false, e.acquiredUnpublished());
        edges.computeIfAbsent(held, k -> new TreeMap<>()).computeIfAbsent(acquired, k -> new LockEdge(held, acquired)).add(o);
        if (o.acquiredWrite()) {
            writer(acquired, thread, stack);
        }
        if (o.heldWrite()) {
            writeLocked.add(held); // its stack is in the LockChain event of heldChainId
        }
    }

    private void chain(int index, LockEvents.LockChain e) {
        String lock = values.intern(e.lock());
        if (lock == null) {
            current.eventsWithoutLockClass++;
            return;
        }
        String kind = values.intern(e.kind());
        String mode = mode(e.mode());
        lockClass(lock, kind);
        ThreadRef thread = values.thread(index, e.thread());
        List<String> stack = values.stack(e.stack());
        ChainInfo info = new ChainInfo(index, e.chainId(), lock, kind, mode, e.trylock(), thread, stack);
        chains.putIfAbsent(new ChainKey(index, e.chainId()), info);
        threadChainStacks.putIfAbsent(new ThreadChainKey(index, e.chainId(), thread.javaThreadId()), info);
        if (EventNames.MODE_WRITE.equals(mode)) {
            writer(lock, thread, stack);
        }
    }

    private void statistics(LockEvents.AgentStatistics e) {
        e.counters().forEach((name, v) -> current.statistics.merge(name, v, Math::max)); // counters only grow
        if (e.version() != null && !e.version().isEmpty()) {
            current.agentVersion = e.version();
        }
        if (e.options() != null) {
            current.agentOptions = e.options();
        }
        if (e.orderedLockClasses() != null && !e.orderedLockClasses().isEmpty()) {
            for (String c : e.orderedLockClasses().split(";")) {
                if (!c.isBlank()) {
                    current.orderedLockClasses.add(c.trim());
                }
            }
        }
    }

    private void agentError(LockEvents.AgentError e) {
        current.agentErrorCount++;
        String s = e.kind() + ": " + e.message();
        if (current.agentErrors.size() < RecordingSummary.MAX_AGENT_ERRORS && !current.agentErrors.contains(s)) {
            current.agentErrors.add(s);
        }
    }

    private void writer(String lock, ThreadRef thread, List<String> stack) {
        writeLocked.add(lock);
        Map<List<String>, WriterSite> sites = writers.computeIfAbsent(lock, k -> new LinkedHashMap<>());
        if (sites.size() < MAX_WRITERS_PER_LOCK) {
            sites.putIfAbsent(stack, new WriterSite(lock, thread, stack));
        }
    }

    private void lockClass(String name, String kind) {
        SortedSet<String> kinds = lockClasses.computeIfAbsent(name, k -> new TreeSet<>());
        if (kind != null && !kind.isEmpty()) {
            kinds.add(kind);
        }
    }

    /** Anything but "read" is exclusive: a missing mode must not hide a cycle. */
    private static String mode(String m) {
        return EventNames.MODE_READ.equals(m) ? EventNames.MODE_READ : EventNames.MODE_WRITE;
    }

    /** The finished model. The builder must not be fed afterwards. */
    public LockModel build() {
        Map<Integer, RecordingSummary> byIndex = new HashMap<>();
        recordings.forEach(r -> byIndex.put(r.index(), r));
        summaries.complete(edges, byIndex, values, this::lockClass, writeLocked::add);
        Map<String, List<WriterSite>> w = new HashMap<>();
        writers.forEach((k, v) -> w.put(k, List.copyOf(v.values())));
        return new LockModel(recordings, lockClasses, edges, chains, threadChainStacks, w, writeLocked, releasePaths.finish());
    }
}
