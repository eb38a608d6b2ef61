package io.lockdep4j.analyzers.model;

import io.lockdep4j.analyzers.read.ReleaseEvents.FileOperation;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The release-path half of the model: closes, forces, releases, deferred runs, waits
 * while holding locks and their signals, leaks, refcount underflows and uses after release,
 * aggregated in the same single pass as the lock graph.
 *
 * <p>Memory is bounded: operations are grouped by a signature (kind, held lock classes, contexts,
 * release, calling method without line) and only the first example of each group is kept, with a
 * count and the worst blocking time; latencies go to HdrHistograms; every map is capped
 * ({@link #MAX_GROUPS}) and what does not fit is counted in {@link #dropped()}. Built by
 * {@link ReleasePathBuilder} from the decoded release-path events.
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
        public final List<HeldLock> held;
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
        /** Lock class -> the instances held unshared by this group's operations (null: none). */
        Map<String, java.util.Set<Integer>> unshared;
        /** Lock classes some operation of this group held an instance of that another thread had locked. */
        final java.util.Set<String> sharedClasses = new java.util.HashSet<>();
        static final int MAX_INSTANCES = 64;
        private static final java.util.regex.Pattern UNSHARED_ENTRY = java.util.regex.Pattern.compile("(.+?)#([0-9a-f]{1,8})(?:;|$)");

        /** One more operation of this group: which of its held lock instances were unshared. */
        void noteSharing(String heldUnshared) {
            Map<String, Integer> unsharedCount = new java.util.HashMap<>();
            if (heldUnshared != null && !heldUnshared.isEmpty()) {
                // a lock class may contain ';' (array classes): an entry ends at "#hex" then ';' or the end
                java.util.regex.Matcher m = UNSHARED_ENTRY.matcher(heldUnshared);
                while (m.find()) {
                    String lock = m.group(1);
                    int instance = Integer.parseUnsignedInt(m.group(2), 16);
                    if (unshared == null) {
                        unshared = new java.util.HashMap<>();
                    }
                    java.util.Set<Integer> s = unshared.computeIfAbsent(lock, k -> new java.util.HashSet<>());
                    if (s.size() < MAX_INSTANCES) {
                        s.add(instance);
                    } else {
                        sharedClasses.add(lock); // too many to check against later sharing: say shared
                    }
                    unsharedCount.merge(lock, 1, Integer::sum);
                }
            }
            Map<String, Integer> heldCount = new java.util.HashMap<>();
            for (HeldLock h : held) {
                heldCount.merge(h.lockClass(), 1, Integer::sum);
            }
            heldCount.forEach((lock, n) -> {
                if (unsharedCount.getOrDefault(lock, 0) < n) {
                    sharedClasses.add(lock); // some instance of it held here was shared, or not known
                }
            });
        }

        /** The last {@link #RECENT} closes' times (close and force time, the worse), for the typical time. */
        private long[] recent;
        private int recentCount;

        Op(String kind, String path, String resourceClass, FileOperation e, ThreadState at) {
            this.kind = kind;
            this.path = path;
            this.resourceClass = resourceClass;
            this.held = at.held();
            this.contexts = at.contexts();
            this.forced = e.forced();
            this.insideClose = e.insideClose();
            this.deferred = e.deferred();
            this.recording = at.recording();
            this.releaseId = e.releaseId();
            this.thread = at.thread();
            this.stack = at.stack();
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

        static final int RECENT = 64;

        void noteTime(long nanos) {
            if (recent == null) {
                recent = new long[RECENT];
            }
            recent[recentCount++ % RECENT] = nanos;
        }

        /**
         * The median time of this group's last {@value #RECENT} operations: what one of them
         * typically costs. A plain close is blocking work when it is typically slow; one slow
         * close among fast ones is the machine stalling (a loaded scheduler, a GC), not the close.
         */
        public long typicalNanos() {
            if (recentCount == 0) {
                return worstNanos();
            }
            long[] xs = java.util.Arrays.copyOf(recent, Math.min(recentCount, RECENT));
            java.util.Arrays.sort(xs);
            return xs[xs.length / 2];
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
        public final List<HeldLock> held;
        public final List<Context> contexts;
        public final ThreadRef thread;
        public final List<String> stack;
        long count;
        long closes;
        long forces;
        long handoffs;

        Release(String method, String mode, ThreadState at) {
            this.method = method;
            this.mode = mode;
            this.held = at.held();
            this.contexts = at.contexts();
            this.thread = at.thread();
            this.stack = at.stack();
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
     * A wait while holding locks (one kept per signature) or a signal (one kept per signature).
     * {@code inProgress}: the wait had not ended when the JVM shut down (it never ended).
     * {@code waitedLock}: for a monitor wait or notify, the monitor's lock class ("" otherwise): the
     * role by which waits and signals match across instances and recordings. {@code timeoutNanos}:
     * a wait's bound (0: none or unknown). {@code takenBefore}: for a signal, the lock classes its
     * thread took and released before it (empty for waits).
     */
    public record Wait(String kind, String objectClass, int objectId, List<HeldLock> held, List<Context> contexts,
                       boolean timed, long durationNanos, ThreadRef thread, List<String> stack, boolean inProgress,
                       String waitedLock, long timeoutNanos, List<HeldLock> takenBefore) {}

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

    /** Who did a release-path operation, resolved for the model: thread, trimmed stack, held locks, contexts. */
    record ThreadState(int recording, ThreadRef thread, List<String> stack, List<HeldLock> held, List<Context> contexts) {}

    // Filled by ReleasePathBuilder, read-only once the model is built.
    final Map<List<Object>, Op> ops = new LinkedHashMap<>();
    final Map<List<Object>, Release> releases = new LinkedHashMap<>();
    final Map<String, Histogram> closeLatency = new TreeMap<>();
    final Map<String, Histogram> deferredLag = new TreeMap<>();
    final Map<List<Object>, Wait> waits = new LinkedHashMap<>();
    final Map<List<Object>, Wait> signals = new LinkedHashMap<>();
    final Map<List<Object>, SiteFact> facts = new LinkedHashMap<>();
    final Map<ReleaseKey, List<String>> openStacks = new HashMap<>();
    /** Lock instances some heldUnshared listed that another thread locked later (lockdep4j.LockInstanceShared). */
    final java.util.Set<LockInstance> sharedLater = new java.util.HashSet<>();

    /** One lock instance of one recording, by its identity hash. */
    public record LockInstance(int recording, String lockClass, int instance) {}

    /**
     * True when no operation of {@code op}'s group ran while holding an instance of {@code lockClass}
     * that another thread had locked, or locked later: the lock was never shared, so the blocking
     * call stalled nobody waiting for it. False when unknown (an older agent, a full table).
     */
    public boolean neverShared(Op op, String lockClass) {
        java.util.Set<Integer> mine = op.unshared == null ? null : op.unshared.get(lockClass);
        if (mine == null || op.sharedClasses.contains(lockClass)) {
            return false;
        }
        for (int i : mine) {
            if (sharedLater.contains(new LockInstance(op.recording, lockClass, i))) {
                return false;
            }
        }
        return true;
    }
    long dropped;
    long closeCount;
    long forceCount;

    ReleasePaths() {}

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
