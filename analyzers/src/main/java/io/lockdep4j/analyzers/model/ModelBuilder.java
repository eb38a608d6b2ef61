package io.lockdep4j.analyzers.model;

import io.lockdep4j.analyzers.read.RecordingVisitor;
import io.lockdep4j.events.EventNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Builds a {@link LockModel} from the events of any number of recordings, in one pass and in any
 * event order (a LockOrderEdge may be read before the LockChain it refers to: chain stacks are
 * looked up when the model is queried, not when the edge is read).
 *
 * <p>Fields are read by name and missing fields get defaults, so recordings from an older or newer
 * agent still load.
 *
 * <p>Per event, only what cannot be cached is done. Field values are read once, by
 * {@link #prepare} on the reader's parser thread ({@link PreparedEvent}: the JDK's by-name
 * getters scan the field list on every call); the JDK parser hands out one {@link RecordedThread}
 * and one {@link RecordedStackTrace} object per constant of a chunk, so threads and trimmed
 * stacks are cached by identity (bounded: a cache is dropped when full, never grown without limit).
 */
public final class ModelBuilder implements RecordingVisitor {
    /** Distinct writer stacks kept per lock class; more are counted as one "writer" fact only. */
    static final int MAX_WRITERS_PER_LOCK = 5;

    record ChainKey(int recording, long chainId) {}

    private final Frames frames = new Frames();
    private final List<RecordingSummary> recordings = new ArrayList<>();
    private final SortedMap<String, SortedSet<String>> lockClasses = new TreeMap<>();
    private final Map<String, Map<String, LockEdge>> edges = new TreeMap<>();
    private final Map<ChainKey, ChainInfo> chains = new HashMap<>();
    private final Map<String, Map<List<String>, WriterSite>> writers = new HashMap<>();
    private final Set<String> writeLocked = new HashSet<>();
    private final Map<String, String> strings = new HashMap<>();
    private final ReleasePaths releasePaths = new ReleasePaths(frames, strings);
    private RecordingSummary current;
    /** Field layout per event type object (one per type and chunk metadata); filled from the parser thread. */
    private final Map<EventType, PreparedEvent.Layout> layouts = new ConcurrentHashMap<>();
    static final int MAX_LAYOUTS = 4096;
    /** Fields read up front on the parser thread, for the high-volume kinds; the rare kinds read on demand. */
    private static final Map<String, List<String>> PREPARED = Map.of(
            EventNames.FILE_CLOSE, List.of("eventThread", "stackTrace", "path", "resourceClass", "heldLocks", "contexts", "forced",
                    "blockingNanos", "releaseId", "deferred"),
            EventNames.FILE_FORCE, List.of("eventThread", "stackTrace", "path", "resourceClass", "heldLocks", "contexts",
                    "insideClose", "releaseId", "deferred"),
            EventNames.RELEASE, List.of("eventThread", "stackTrace", "releaseId", "method", "mode", "closes", "forces", "handoffs",
                    "heldLocks", "contexts"),
            EventNames.DEFERRED_RUN, List.of("releaseId", "releaseMethod", "queueLag"),
            EventNames.WAIT_WHILE_HOLDING, List.of("eventThread", "stackTrace", "inProgress", "waitKind", "objectClass", "objectId",
                    "heldLocks", "contexts", "timed"),
            EventNames.SIGNAL, List.of("eventThread", "stackTrace", "signalKind", "objectClass", "objectId", "heldLocks"),
            EventNames.FILE_OPEN, List.of("openSiteId", "stackTrace"));
    /** Kinds whose duration the model uses. */
    private static final Set<String> TIMED = Set.of(EventNames.FILE_CLOSE, EventNames.FILE_FORCE, EventNames.WAIT_WHILE_HOLDING);
    /** ThreadRef per parsed thread constant, for the current recording. */
    private final Map<RecordedThread, ThreadRef> threads = new IdentityHashMap<>();
    static final int MAX_CACHED_THREADS = 4096;

    @Override
    public void startRecording(int index, Path path) {
        current = new RecordingSummary(index, path.toString());
        recordings.add(current);
        threads.clear(); // a ThreadRef carries the recording index
    }

    @Override
    public void jfrDataLoss(int index, long bytes) {
        if (current == null || current.index() != index) {
            startRecording(index, Path.of("recording-" + (index + 1)));
        }
        current.jfrDataLossEvents++;
        current.jfrDataLossBytes += bytes;
    }

    @Override
    public void endRecording(int index, Path path, long events, long lockdepEvents) {
        current.events = events;
    }

    @Override
    public void event(int index, RecordedEvent e) {
        visitPrepared(index, prepare(e));
    }

    /** Reads the fields the model needs from {@code e}; thread-safe, runs on the reader's parser thread. */
    @Override
    public PreparedEvent prepare(RecordedEvent e) {
        EventType type = e.getEventType();
        PreparedEvent.Layout layout = layouts.get(type);
        if (layout == null) {
            String name = type.getName();
            layout = new PreparedEvent.Layout(type, PREPARED.getOrDefault(name, List.of()), TIMED.contains(name));
            if (layouts.size() >= MAX_LAYOUTS) {
                layouts.clear(); // many chunks with their own metadata: do not keep them all
            }
            layouts.put(type, layout);
        }
        return PreparedEvent.of(e, layout);
    }

    @Override
    public void visitPrepared(int index, Object prepared) {
        if (current == null || current.index() != index) {
            startRecording(index, Path.of("recording-" + (index + 1)));
        }
        PreparedEvent e = prepared instanceof PreparedEvent p ? p : prepare((RecordedEvent) prepared);
        switch (e.typeName()) {
            case EventNames.LOCK_ORDER_EDGE -> edge(index, e);
            case EventNames.LOCK_CHAIN -> chain(index, e);
            case EventNames.AGENT_STATISTICS -> statistics(e);
            case EventNames.AGENT_ERROR -> agentError(e);
            case EventNames.FILE_CLOSE -> releasePaths.close(index, thread(index, e), stack(e),
                    str(e, "path"), str(e, "resourceClass"), str(e, "heldLocks"), str(e, "contexts"), bool(e, "forced"),
                    lng(e, "blockingNanos"), e.durationNanos(), lng(e, "releaseId"), bool(e, "deferred"));
            case EventNames.FILE_FORCE -> releasePaths.force(index, thread(index, e), stack(e),
                    str(e, "path"), str(e, "resourceClass"), str(e, "heldLocks"), str(e, "contexts"), bool(e, "insideClose"),
                    e.durationNanos(), lng(e, "releaseId"), bool(e, "deferred"));
            case EventNames.RELEASE -> releasePaths.release(index, thread(index, e), stack(e),
                    lng(e, "releaseId"), str(e, "method"), str(e, "mode"), (int) lng(e, "closes"), (int) lng(e, "forces"),
                    (int) lng(e, "handoffs"), str(e, "heldLocks"), str(e, "contexts"));
            case EventNames.DEFERRED_RUN -> releasePaths.deferredRun(index, lng(e, "releaseId"), str(e, "releaseMethod"),
                    lng(e, "queueLag"));
            case EventNames.WAIT_WHILE_HOLDING -> waitWhileHolding(index, e);
            case EventNames.SIGNAL -> releasePaths.signal(index, thread(index, e), stack(e),
                    str(e, "signalKind"), str(e, "objectClass"), (int) lng(e, "objectId"), str(e, "heldLocks"));
            case EventNames.FILE_OPEN -> releasePaths.fileOpen(index, lng(e, "openSiteId"), stack(e));
            case EventNames.RESOURCE_LEAK -> leak(index, e);
            case EventNames.REFCOUNT_UNDERFLOW -> releasePaths.fact("refcount-underflow", fields(e, "objectClass", "method", "count"),
                    List.of("objectClass", "method", "site"), thread(index, e), stack(e));
            case EventNames.USE_AFTER_RELEASE -> releasePaths.fact("use-after-release",
                    fields(e, "objectClass", "method", "shutdownMethod", "shutdownThread"),
                    List.of("objectClass", "method", "shutdownMethod", "site"), thread(index, e), stack(e));
            default -> { } // contended/held/context events: nothing to aggregate yet
        }
        current.lockdepEvents++;
    }

    private void edge(int index, PreparedEvent e) {
        String held = intern(str(e, "heldLock"));
        String acquired = intern(str(e, "acquiredLock"));
        if (held == null || acquired == null) {
            current.eventsWithoutLockClass++;
            return;
        }
        String heldMode = mode(str(e, "heldMode"));
        String acquiredMode = mode(str(e, "acquiredMode"));
        String heldKind = intern(str(e, "heldKind"));
        String acquiredKind = intern(str(e, "acquiredKind"));
        lockClass(held, heldKind);
        lockClass(acquired, acquiredKind);
        ThreadRef thread = thread(index, e);
        List<String> stack = stack(e);
        EdgeObservation o = new EdgeObservation(heldMode, heldKind, acquiredMode, acquiredKind,
                bool(e, "trylock"), thread, stack, lng(e, "heldChainId"), lng(e, "acquiredChainId"),
                HeldLock.parseAll(str(e, "otherHeld")).stream()
                        .map(h -> new HeldLock(intern(h.lockClass()), h.mode(), h.instance())).toList(),
                (int) lng(e, "heldInstance"), (int) lng(e, "acquiredInstance"), bool(e, "anotherThread"));
        edges.computeIfAbsent(held, k -> new TreeMap<>()).computeIfAbsent(acquired, k -> new LockEdge(held, acquired)).add(o);
        if (o.acquiredWrite()) {
            writer(acquired, thread, stack);
        }
        if (o.heldWrite()) {
            writeLocked.add(held); // its stack is in the LockChain event of heldChainId
        }
    }

    private void waitWhileHolding(int index, PreparedEvent e) {
        boolean inProgress = bool(e, "inProgress");
        // a wait in progress at shutdown is committed by the shutdown thread: the waiter is in fields
        ThreadRef thread = inProgress
                ? new ThreadRef(index, lng(e, "waiterThreadId"), intern(str(e, "waiterThreadName")))
                : thread(index, e);
        List<String> stack = inProgress ? frames.parse(str(e, "waiterStack")) : stack(e);
        releasePaths.waitWhileHolding(index, thread, stack, str(e, "waitKind"), str(e, "objectClass"), (int) lng(e, "objectId"),
                str(e, "heldLocks"), str(e, "contexts"), bool(e, "timed"), e.durationNanos(), inProgress);
    }

    private void leak(int index, PreparedEvent e) {
        Map<String, Object> f = fields(e, "openSite", "path", "resourceClass", "openThread", "openFor");
        f.put("recording", index);
        f.put("openSiteId", lng(e, "openSiteId"));
        releasePaths.fact("resource-leak", f, List.of("openSite", "resourceClass"), thread(index, e), List.of());
    }

    /** The named fields as strings/numbers, plus "site": the first application frame without its line. */
    private Map<String, Object> fields(PreparedEvent e, String... names) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names) {
            if (e.layout.all.contains(n)) {
                Object v = e.value(n);
                out.put(n, v instanceof Number || v instanceof Boolean ? v : v == null ? null : intern(String.valueOf(v)));
            }
        }
        // the calling site: the first application frame that is not the reported method itself
        List<String> stack = stack(e);
        Object method = out.get("method");
        List<String> callers = stack.stream().filter(f -> !ReleasePaths.methodOf(f).equals(method)).toList();
        out.put("site", ReleasePaths.methodOf(Frames.site(callers.isEmpty() ? stack : callers)));
        return out;
    }

    private void chain(int index, PreparedEvent e) {
        String lock = intern(str(e, "lock"));
        if (lock == null) {
            current.eventsWithoutLockClass++;
            return;
        }
        String kind = intern(str(e, "kind"));
        String mode = mode(str(e, "mode"));
        lockClass(lock, kind);
        ThreadRef thread = thread(index, e);
        List<String> stack = stack(e);
        long id = lng(e, "chainId");
        chains.putIfAbsent(new ChainKey(index, id),
                new ChainInfo(index, id, lock, kind, mode, bool(e, "trylock"), thread, stack));
        if ("write".equals(mode)) {
            writer(lock, thread, stack);
        }
    }

    private void statistics(PreparedEvent p) {
        RecordedEvent e = p.event;
        for (ValueDescriptor d : e.getFields()) {
            String name = d.getName();
            if ("long".equals(d.getTypeName()) && !"startTime".equals(name) && !"duration".equals(name)) {
                long v = e.getLong(name);
                current.statistics.merge(name, v, Math::max);
            }
        }
        String version = str(p, "version");
        if (version != null && !version.isEmpty()) {
            current.agentVersion = version;
        }
        String options = str(p, "options");
        if (options != null) {
            current.agentOptions = options;
        }
    }

    private void agentError(PreparedEvent e) {
        current.agentErrorCount++;
        String s = str(e, "kind") + ": " + str(e, "message");
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

    private List<String> stack(PreparedEvent e) {
        return frames.trim(e.value("stackTrace") instanceof RecordedStackTrace st ? st : null);
    }

    private ThreadRef thread(int index, PreparedEvent e) {
        RecordedThread t = e.value("eventThread") instanceof RecordedThread rt ? rt : null;
        if (t == null) {
            return new ThreadRef(index, -1, "");
        }
        ThreadRef ref = threads.get(t);
        if (ref == null) {
            String name = t.getJavaName();
            if (name == null || name.isEmpty()) {
                name = t.getOSName() == null ? "" : t.getOSName();
            }
            ref = new ThreadRef(index, t.getJavaThreadId(), intern(name));
            if (threads.size() >= MAX_CACHED_THREADS) {
                threads.clear();
            }
            threads.put(t, ref);
        }
        return ref;
    }

    private String intern(String s) {
        return s == null ? null : strings.computeIfAbsent(s, k -> k);
    }

    /** Anything but "read" is exclusive: a missing mode must not hide a cycle. */
    private static String mode(String m) {
        return EventNames.MODE_READ.equals(m) ? EventNames.MODE_READ : EventNames.MODE_WRITE;
    }

    private static String str(PreparedEvent e, String field) {
        return e.value(field) instanceof String s ? s : null;
    }

    private static long lng(PreparedEvent e, String field) {
        return e.value(field) instanceof Number n ? n.longValue() : 0;
    }

    private static boolean bool(PreparedEvent e, String field) {
        return e.value(field) instanceof Boolean b && b;
    }

    /** The finished model. The builder must not be fed afterwards. */
    public LockModel build() {
        Map<String, List<WriterSite>> w = new HashMap<>();
        writers.forEach((k, v) -> w.put(k, List.copyOf(v.values())));
        releasePaths.finish();
        return new LockModel(recordings, lockClasses, edges, chains, w, writeLocked, releasePaths);
    }
}
