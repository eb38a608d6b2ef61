package io.lockdep4j.analyzers.model;

import io.lockdep4j.events.EventNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The release-path half of the model (issue 3): closes, forces, releases, deferred runs, waits
 * while holding locks and their signals, leaks, refcount underflows and uses after release,
 * aggregated in the same single pass as the lock graph.
 *
 * <p>Memory is bounded: operations are grouped by a signature (kind, held lock classes, contexts,
 * release, calling method without line) and only the first example of each group is kept, with a
 * count and the worst blocking time; latencies go to HdrHistograms; every map is capped
 * ({@link #MAX_GROUPS}) and what does not fit is counted in {@link #dropped()}.
 */
public final class ReleasePaths {
    /** Most distinct groups kept per kind of fact; more are counted as dropped. */
    public static final int MAX_GROUPS = 4096;
    /** Most pending close latencies waiting for their Release event (joined at build time). */
    static final int MAX_PENDING = 200_000;
    /** Histograms: 1 µs .. 1 h, 3 significant digits. */
    static final long HIST_MAX_NANOS = 3_600_000_000_000L;

    /** Mode of a close that ran outside any configured release method. */
    public static final String MODE_NONE = "NONE";

    private static final Pattern HELD = Pattern.compile("(.+?)\\((write|read)\\)(?:;|$)");

    /** A lock the operating thread held, as the release-path events write it: class(mode). */
    public record Held(String lockClass, String mode) {
        @Override
        public String toString() {
            return lockClass + "(" + mode + ")";
        }
    }

    /** An active context: notifier/recovery/mustNotBlock/configured name and the Class#method. */
    public record Context(String name, String method) {
        @Override
        public String toString() {
            return name + ":" + method;
        }
    }

    /**
     * A close or force (kind {@code close}/{@code force}), grouped: {@code count} operations with the
     * same signature, the worst {@code blockingNanos}/{@code durationNanos}, the first example.
     */
    public static final class Op {
        public final String kind;
        public final String path;
        public final String resourceClass;
        public final List<Held> held;
        public final List<Context> contexts;
        public final boolean forced;
        public final boolean insideClose;
        public final boolean deferred;
        public final int recording;
        public final long releaseId;
        public final ThreadRef thread;
        public final List<String> stack;
        String releaseMethod;
        long count;
        long maxBlockingNanos;
        long maxDurationNanos;

        Op(String kind, String path, String resourceClass, List<Held> held, List<Context> contexts, boolean forced,
           boolean insideClose, boolean deferred, int recording, long releaseId, ThreadRef thread, List<String> stack) {
            this.kind = kind;
            this.path = path;
            this.resourceClass = resourceClass;
            this.held = held;
            this.contexts = contexts;
            this.forced = forced;
            this.insideClose = insideClose;
            this.deferred = deferred;
            this.recording = recording;
            this.releaseId = releaseId;
            this.thread = thread;
            this.stack = stack;
        }

        public long count() {
            return count;
        }

        /** The release method (Class#method) this operation ran under, or null outside any release. */
        public String releaseMethod() {
            return releaseMethod;
        }

        public long maxBlockingNanos() {
            return maxBlockingNanos;
        }

        public long maxDurationNanos() {
            return maxDurationNanos;
        }

        /** The worse of the two: the close's own duration, or the force time counted toward it. */
        public long worstNanos() {
            return Math.max(maxBlockingNanos, maxDurationNanos);
        }

        public Optional<Context> context(String name) {
            return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /** A lockdep4j.Release, grouped by method, mode, held locks and contexts. */
    public static final class Release {
        public final String method;
        public final String mode;
        public final List<Held> held;
        public final List<Context> contexts;
        public final ThreadRef thread;
        public final List<String> stack;
        long count;
        long closes;
        long forces;
        long handoffs;

        Release(String method, String mode, List<Held> held, List<Context> contexts, ThreadRef thread, List<String> stack) {
            this.method = method;
            this.mode = mode;
            this.held = held;
            this.contexts = contexts;
            this.thread = thread;
            this.stack = stack;
        }

        public long count() {
            return count;
        }

        public long closes() {
            return closes;
        }

        public long forces() {
            return forces;
        }

        public long handoffs() {
            return handoffs;
        }
    }

    /**
     * A wait while holding locks (one kept per signature) or a signal on a waited object.
     * {@code inProgress}: the wait had not ended when the JVM shut down (it never ended).
     */
    public record Wait(String kind, String objectClass, int objectId, List<Held> held, List<Context> contexts,
                       boolean timed, long durationNanos, ThreadRef thread, List<String> stack, boolean inProgress) {}

    /** A grouped one-site fact (leak, refcount underflow, use after release): first example + count. */
    public static final class SiteFact {
        public final String kind;
        public final Map<String, Object> fields;
        public final ThreadRef thread;
        public final List<String> stack;
        long count;

        SiteFact(String kind, Map<String, Object> fields, ThreadRef thread, List<String> stack) {
            this.kind = kind;
            this.fields = fields;
            this.thread = thread;
            this.stack = stack;
        }

        public long count() {
            return count;
        }
    }

    record ReleaseKey(int recording, long releaseId) {}

    record PendingClose(int recording, long releaseId, boolean deferred, long nanos) {}

    private final Frames frames;
    private final Map<List<Object>, Op> ops = new LinkedHashMap<>();
    private final Map<List<Object>, Release> releases = new LinkedHashMap<>();
    private final Map<ReleaseKey, String> releaseMethods = new HashMap<>();
    private final List<PendingClose> pending = new ArrayList<>();
    private final Map<String, Histogram> closeLatency = new TreeMap<>();
    private final Map<String, Histogram> deferredLag = new TreeMap<>();
    private final Map<List<Object>, Wait> waits = new LinkedHashMap<>();
    private final Map<List<Object>, Wait> signals = new LinkedHashMap<>();
    private final Map<List<Object>, SiteFact> facts = new LinkedHashMap<>();
    private final Map<ReleaseKey, List<String>> openStacks = new HashMap<>();
    private final Map<String, String> strings;
    private long dropped;
    private long closeCount;
    private long forceCount;

    ReleasePaths(Frames frames, Map<String, String> strings) {
        this.frames = frames;
        this.strings = strings;
    }

    // ------------------------------------------------------------------ building (ModelBuilder)

    void close(int rec, ThreadRef t, List<String> stack, String path, String resourceClass, String heldLocks,
               String contexts, boolean forced, long blockingNanos, long durationNanos, long releaseId, boolean deferred) {
        closeCount++;
        Op op = op("close", rec, t, stack, path, resourceClass, heldLocks, contexts, forced, false, deferred, releaseId);
        if (op != null) {
            op.maxBlockingNanos = Math.max(op.maxBlockingNanos, blockingNanos);
            op.maxDurationNanos = Math.max(op.maxDurationNanos, durationNanos);
        }
        long nanos = Math.max(durationNanos, blockingNanos);
        if (releaseId == 0) {
            record(closeLatency, latencyKey(frames.siteMethod(stack), MODE_NONE), nanos);
        } else if (pending.size() < MAX_PENDING) {
            pending.add(new PendingClose(rec, releaseId, deferred, nanos));
        } else {
            record(closeLatency, latencyKey("(release not joined: too many)", deferred ? EventNames.RELEASE_DEFERRED
                    : EventNames.RELEASE_SYNC), nanos);
        }
    }

    void force(int rec, ThreadRef t, List<String> stack, String path, String resourceClass, String heldLocks,
               String contexts, boolean insideClose, long durationNanos, long releaseId, boolean deferred) {
        forceCount++;
        Op op = op("force", rec, t, stack, path, resourceClass, heldLocks, contexts, true, insideClose, deferred, releaseId);
        if (op != null) {
            op.maxBlockingNanos = Math.max(op.maxBlockingNanos, durationNanos);
            op.maxDurationNanos = Math.max(op.maxDurationNanos, durationNanos);
        }
    }

    private Op op(String kind, int rec, ThreadRef t, List<String> stack, String path, String resourceClass,
                  String heldLocks, String contexts, boolean forced, boolean insideClose, boolean deferred, long releaseId) {
        List<Held> held = held(heldLocks);
        List<Context> ctx = contexts(contexts);
        // Signature without line numbers or paths: one group per code path, not per file.
        List<Object> key = List.of(kind, held, ctx, forced, insideClose, deferred, releaseId != 0,
                frames.siteMethod(stack), t.name());
        Op op = ops.get(key);
        if (op == null) {
            if (ops.size() >= MAX_GROUPS) {
                dropped++;
                return null;
            }
            op = new Op(kind, path, intern(resourceClass), held, ctx, forced, insideClose, deferred, rec, releaseId, t, stack);
            ops.put(key, op);
        }
        op.count++;
        return op;
    }

    void release(int rec, ThreadRef t, List<String> stack, long releaseId, String method, String mode, int closes,
                 int forces, int handoffs, String heldLocks, String contexts) {
        method = intern(method == null ? "?" : method);
        mode = EventNames.RELEASE_DEFERRED.equals(mode) ? EventNames.RELEASE_DEFERRED : EventNames.RELEASE_SYNC;
        if (releaseMethods.size() < MAX_PENDING) {
            releaseMethods.put(new ReleaseKey(rec, releaseId), method);
        }
        List<Held> held = held(heldLocks);
        List<Context> ctx = contexts(contexts);
        List<Object> key = List.of(method, mode, held, ctx);
        Release r = releases.get(key);
        if (r == null) {
            if (releases.size() >= MAX_GROUPS) {
                dropped++;
                return;
            }
            r = new Release(method, mode, held, ctx, t, stack);
            releases.put(key, r);
        }
        r.count++;
        r.closes += closes;
        r.forces += forces;
        r.handoffs += handoffs;
    }

    void deferredRun(int rec, long releaseId, String releaseMethod, long queueLagNanos) {
        String method = releaseMethod == null ? "?" : releaseMethod;
        if (releaseMethods.size() < MAX_PENDING) {
            releaseMethods.putIfAbsent(new ReleaseKey(rec, releaseId), intern(method));
        }
        record(deferredLag, method, queueLagNanos);
    }

    void waitWhileHolding(int rec, ThreadRef t, List<String> stack, String waitKind, String objectClass, int objectId,
                          String heldLocks, String contexts, boolean timed, long durationNanos, boolean inProgress) {
        Wait w = new Wait(intern(waitKind), intern(objectClass), objectId, held(heldLocks), contexts(contexts), timed,
                durationNanos, t, stack, inProgress);
        // one per waited object and code path: signals are matched by object identity; a wait that
        // never ended is kept apart from ended ones, since only it can stand without a signal
        keep(waits, List.of(rec, objectId, w.held(), frames.siteMethod(stack), inProgress), w);
    }

    void signal(int rec, ThreadRef t, List<String> stack, String signalKind, String objectClass, int objectId, String heldLocks) {
        Wait s = new Wait(intern(signalKind), intern(objectClass), objectId, held(heldLocks), List.of(), false, 0, t, stack, false);
        keep(signals, List.of(rec, objectId, s.held(), frames.siteMethod(stack)), s);
    }

    private void keep(Map<List<Object>, Wait> map, List<Object> key, Wait w) {
        if (map.containsKey(key)) {
            return;
        }
        if (map.size() >= MAX_GROUPS) {
            dropped++;
            return;
        }
        map.put(key, w);
    }

    void fileOpen(int rec, long openSiteId, List<String> stack) {
        if (openStacks.size() < MAX_GROUPS) {
            openStacks.putIfAbsent(new ReleaseKey(rec, openSiteId), stack);
        }
    }

    /** A one-site fact; {@code groupBy} are the field names that make its identity. */
    void fact(String kind, Map<String, Object> fields, List<String> groupBy, ThreadRef t, List<String> stack) {
        List<Object> key = new ArrayList<>();
        key.add(kind);
        for (String g : groupBy) {
            key.add(fields.get(g));
        }
        SiteFact f = facts.get(key);
        if (f == null) {
            if (facts.size() >= MAX_GROUPS) {
                dropped++;
                return;
            }
            f = new SiteFact(kind, fields, t, stack);
            facts.put(key, f);
        }
        f.count++;
    }

    /** Joins pending close latencies to the release method and mode they ran under. */
    void finish() {
        for (PendingClose p : pending) {
            String method = releaseMethods.getOrDefault(new ReleaseKey(p.recording(), p.releaseId()), "(release event missing)");
            record(closeLatency, latencyKey(method, p.deferred() ? EventNames.RELEASE_DEFERRED : EventNames.RELEASE_SYNC), p.nanos());
        }
        pending.clear();
        for (Op op : ops.values()) {
            if (op.releaseId != 0) {
                op.releaseMethod = releaseMethods.getOrDefault(new ReleaseKey(op.recording, op.releaseId), "(release event missing)");
            }
        }
        releaseMethods.clear();
    }

    private static void record(Map<String, Histogram> map, String key, long nanos) {
        Histogram h = map.computeIfAbsent(key, k -> new Histogram(1000, HIST_MAX_NANOS, 3));
        h.recordValue(Math.max(1000, Math.min(HIST_MAX_NANOS, nanos)));
    }

    /** Latency keys by mode, then method or site: built once, not concatenated for every close. */
    private final Map<String, Map<String, String>> latencyKeys = new HashMap<>();

    private String latencyKey(String path, String mode) {
        Map<String, String> byPath = latencyKeys.get(mode);
        if (byPath == null) {
            byPath = new HashMap<>();
            latencyKeys.put(mode, byPath);
        }
        String key = byPath.get(path);
        if (key == null) {
            key = path + " " + mode;
            byPath.put(path, key);
        }
        return key;
    }

    /** "pkg.Cls.method(Cls.java:12)" → "pkg.Cls#method": a site without its line number. */
    public static String methodOf(String frame) {
        int paren = frame.indexOf('(');
        String m = paren < 0 ? frame : frame.substring(0, paren);
        int dot = m.lastIndexOf('.');
        return dot < 0 ? m : m.substring(0, dot) + "#" + m.substring(dot + 1);
    }

    /** Parsed held-lock and context strings: the agent writes the same few strings again and again. */
    static final int MAX_CACHED_STRINGS = 4096;
    private final Map<String, List<Held>> parsedHeld = new HashMap<>();
    private final Map<String, List<Context>> parsedContexts = new HashMap<>();

    List<Held> held(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        List<Held> known = parsedHeld.get(s);
        if (known == null) {
            known = parseHeld(s);
            if (parsedHeld.size() >= MAX_CACHED_STRINGS) {
                parsedHeld.clear();
            }
            parsedHeld.put(s, known);
        }
        return known;
    }

    List<Context> contexts(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        List<Context> known = parsedContexts.get(s);
        if (known == null) {
            known = parseContexts(s);
            if (parsedContexts.size() >= MAX_CACHED_STRINGS) {
                parsedContexts.clear();
            }
            parsedContexts.put(s, known);
        }
        return known;
    }

    private List<Held> parseHeld(String s) {
        List<Held> out = new ArrayList<>();
        Matcher m = HELD.matcher(s);
        int pos = 0;
        while (pos < s.length() && m.find(pos)) {
            out.add(new Held(intern(m.group(1)), m.group(2)));
            pos = m.end();
        }
        return List.copyOf(out);
    }

    private List<Context> parseContexts(String s) {
        List<Context> out = new ArrayList<>();
        for (String part : s.split(";")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                out.add(new Context(intern(part.substring(0, colon)), intern(part.substring(colon + 1))));
            }
        }
        return List.copyOf(out);
    }

    private String intern(String s) {
        return s == null ? null : strings.computeIfAbsent(s, k -> k);
    }

    // ------------------------------------------------------------------ queries (rules, reports)

    /** Grouped closes and forces. */
    public Collection<Op> operations() {
        return ops.values();
    }

    public Collection<Release> releases() {
        return releases.values();
    }

    public Collection<Wait> waits() {
        return waits.values();
    }

    public Collection<Wait> signals() {
        return signals.values();
    }

    /** Grouped facts of one kind: leak, refcount-underflow, use-after-release. */
    public List<SiteFact> facts(String kind) {
        return facts.values().stream().filter(f -> f.kind.equals(kind)).toList();
    }

    /** The stack of the first open at a site, when the FileOpen event was recorded. */
    public Optional<List<String>> openStack(int recording, long openSiteId) {
        return Optional.ofNullable(openStacks.get(new ReleaseKey(recording, openSiteId)));
    }

    /** Close latency per "release-method-or-site MODE" (SYNC, DEFERRED, NONE). */
    public Map<String, Histogram> closeLatency() {
        return closeLatency;
    }

    /** Deferred-release queue lag (hand-off to run) per release method. */
    public Map<String, Histogram> deferredLag() {
        return deferredLag;
    }

    public long closeCount() {
        return closeCount;
    }

    public long forceCount() {
        return forceCount;
    }

    /** Facts not kept because a cap was reached. */
    public long dropped() {
        return dropped;
    }
}
