package io.lockdep4j.analyzers.model;

import io.lockdep4j.analyzers.model.ReleasePaths.Op;
import io.lockdep4j.analyzers.model.ReleasePaths.ReleaseKey;
import io.lockdep4j.analyzers.model.ReleasePaths.ThreadState;
import io.lockdep4j.analyzers.model.ReleasePaths.Wait;
import io.lockdep4j.analyzers.read.ReleaseEvents;
import io.lockdep4j.analyzers.read.ReleaseEvents.FileOperation;
import io.lockdep4j.events.EventNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import org.HdrHistogram.Histogram;

/**
 * Aggregates the decoded release-path events into a {@link ReleasePaths}, one event at a time
 * (called by {@link ModelBuilder} on the model thread). Closes are joined to the release they ran
 * under by release id when the model is built ({@link #finish}), since a close is committed before
 * its release event. One-site facts (leaks, refcount underflows, uses after release) are in
 * {@link SiteFacts}.
 */
final class ReleasePathBuilder {
    private final ReleasePaths paths = new ReleasePaths();
    private final ValueCache values;
    private final SiteFacts facts;
    private final Map<ReleaseKey, String> releaseMethods = new HashMap<>();
    private final List<PendingClose> pending = new ArrayList<>();

    /** A close latency waiting for the release method and mode it ran under. */
    private record PendingClose(int recording, long releaseId, boolean deferred, long nanos) {}

    ReleasePathBuilder(ValueCache values) {
        this.values = values;
        this.facts = new SiteFacts(paths, values);
    }

    SiteFacts facts() {
        return facts;
    }

    void close(int rec, ReleaseEvents.FileClose e) {
        paths.closeCount++;
        ThreadState at = at(rec, e);
        Op op = op("close", e, at);
        if (op != null) {
            op.maxBlockingNanos = Math.max(op.maxBlockingNanos, e.blockingNanos());
            op.maxDurationNanos = Math.max(op.maxDurationNanos, e.durationNanos());
            op.noteTime(Math.max(e.durationNanos(), e.blockingNanos()));
        }
        long nanos = Math.max(e.durationNanos(), e.blockingNanos());
        if (e.releaseId() == 0) {
            record(paths.closeLatency, latencyKey(values.siteMethod(at.stack()), ReleasePaths.MODE_NONE), nanos);
        } else if (pending.size() < ReleasePaths.MAX_PENDING) {
            pending.add(new PendingClose(rec, e.releaseId(), e.deferred(), nanos));
        } else {
            record(paths.closeLatency, latencyKey("(release not joined: too many)", modeOf(e.deferred())), nanos);
        }
    }

    void force(int rec, ReleaseEvents.FileForce e) {
        paths.forceCount++;
        Op op = op("force", e, at(rec, e));
        if (op != null) {
            op.maxBlockingNanos = Math.max(op.maxBlockingNanos, e.durationNanos());
            op.maxDurationNanos = Math.max(op.maxDurationNanos, e.durationNanos());
        }
    }

    void instanceShared(int rec, ReleaseEvents.LockInstanceShared e) {
        if (e.lock() != null && paths.sharedLater.size() < ReleasePaths.MAX_PENDING) {
            paths.sharedLater.add(new ReleasePaths.LockInstance(rec, values.intern(e.lock()), e.instance()));
        }
    }

    private Op op(String kind, FileOperation e, ThreadState at) {
        // Signature without line numbers or paths: one group per code path, not per file.
        List<Object> key = List.of(kind, at.held(), at.contexts(), e.forced(), e.insideClose(), e.deferred(),
                e.releaseId() != 0, values.siteMethod(at.stack()), at.thread().name());
        Op op = paths.ops.get(key);
        if (op == null) {
            if (paths.ops.size() >= ReleasePaths.MAX_GROUPS) {
                paths.dropped++;
                return null;
            }
            op = new Op(kind, e.path(), values.intern(e.resourceClass()), e, at);
            paths.ops.put(key, op);
        }
        op.count++;
        op.noteSharing(e.heldUnshared());
        return op;
    }

    void release(int rec, ReleaseEvents.Release e) {
        String method = values.intern(e.method() == null ? "?" : e.method());
        String mode = modeOf(EventNames.RELEASE_DEFERRED.equals(e.mode()));
        if (releaseMethods.size() < ReleasePaths.MAX_PENDING) {
            releaseMethods.put(new ReleaseKey(rec, e.releaseId()), method);
        }
        ThreadState at = at(rec, e.thread(), e.stack(), e.heldLocks(), e.contexts());
        List<Object> key = List.of(method, mode, at.held(), at.contexts());
        ReleasePaths.Release r = paths.releases.get(key);
        if (r == null) {
            if (paths.releases.size() >= ReleasePaths.MAX_GROUPS) {
                paths.dropped++;
                return;
            }
            r = new ReleasePaths.Release(method, mode, at);
            paths.releases.put(key, r);
        }
        r.count++;
        r.closes += e.closes();
        r.forces += e.forces();
        r.handoffs += e.handoffs();
    }

    void deferredRun(int rec, ReleaseEvents.DeferredRun e) {
        String method = e.releaseMethod() == null ? "?" : e.releaseMethod();
        if (releaseMethods.size() < ReleasePaths.MAX_PENDING) {
            releaseMethods.putIfAbsent(new ReleaseKey(rec, e.releaseId()), values.intern(method));
        }
        record(paths.deferredLag, method, e.queueLag());
    }

    void waitWhileHolding(int rec, ReleaseEvents.WaitWhileHolding e) {
        // a wait in progress at shutdown is committed by the shutdown thread: the waiter is in fields
        ThreadRef thread = e.inProgress()
                ? new ThreadRef(rec, e.waiterThreadId(), values.intern(e.waiterThreadName()))
                : values.thread(rec, e.thread());
        List<String> stack = e.inProgress() ? values.frames().parse(e.waiterStack()) : values.stack(e.stack());
        Wait w = new Wait(values.intern(e.waitKind()), values.intern(e.objectClass()), e.objectId(), values.held(e.heldLocks()),
                values.contexts(e.contexts()), e.timed(), e.durationNanos(), thread, stack, e.inProgress(),
                values.intern(e.waitedLock() == null ? "" : e.waitedLock()), e.timeoutNanos(), List.of());
        // one per waited object and code path: signals are matched by object identity; a wait that
        // never ended is kept apart from ended ones, since only it can stand without a signal
        keep(paths.waits, List.of(rec, e.objectId(), w.held(), values.siteMethod(stack), e.inProgress()), w);
    }

    void signal(int rec, ReleaseEvents.Signal e) {
        List<String> stack = values.stack(e.stack());
        Wait s = new Wait(values.intern(e.signalKind()), values.intern(e.objectClass()), e.objectId(),
                values.held(e.heldLocks()), List.of(), false, 0, values.thread(rec, e.thread()), stack, false,
                values.intern(e.waitedLock() == null ? "" : e.waitedLock()), 0, values.held(e.takenBefore()));
        // per thread too: a signal is evidence only against other threads' waits
        keep(paths.signals, List.of(rec, e.objectId(), s.held(), s.takenBefore(), values.siteMethod(stack),
                s.thread().javaThreadId()), s);
    }

    private void keep(Map<List<Object>, Wait> map, List<Object> key, Wait w) {
        if (map.containsKey(key)) {
            return;
        }
        if (map.size() >= ReleasePaths.MAX_GROUPS) {
            paths.dropped++;
            return;
        }
        map.put(key, w);
    }

    void fileOpen(int rec, ReleaseEvents.FileOpen e) {
        if (paths.openStacks.size() < ReleasePaths.MAX_GROUPS) {
            paths.openStacks.putIfAbsent(new ReleaseKey(rec, e.openSiteId()), values.stack(e.stack()));
        }
    }

    private ThreadState at(int rec, FileOperation e) {
        return at(rec, e.thread(), e.stack(), e.heldLocks(), e.contexts());
    }

    private ThreadState at(int rec, RecordedThread thread, RecordedStackTrace stack, String heldLocks, String contexts) {
        return new ThreadState(rec, values.thread(rec, thread), values.stack(stack), values.held(heldLocks),
                values.contexts(contexts));
    }

    /** Joins pending close latencies to the release method and mode they ran under; the result is final. */
    ReleasePaths finish() {
        for (PendingClose p : pending) {
            String method = releaseMethods.getOrDefault(new ReleaseKey(p.recording(), p.releaseId()), "(release event missing)");
            record(paths.closeLatency, latencyKey(method, modeOf(p.deferred())), p.nanos());
        }
        pending.clear();
        for (Op op : paths.ops.values()) {
            if (op.releaseId != 0) {
                op.releaseMethod = releaseMethods.getOrDefault(new ReleaseKey(op.recording, op.releaseId), "(release event missing)");
            }
        }
        releaseMethods.clear();
        return paths;
    }

    private static String modeOf(boolean deferred) {
        return deferred ? EventNames.RELEASE_DEFERRED : EventNames.RELEASE_SYNC;
    }

    private static void record(Map<String, Histogram> map, String key, long nanos) {
        Histogram h = map.computeIfAbsent(key, k -> new Histogram(1000, ReleasePaths.HIST_MAX_NANOS, 3));
        h.recordValue(Math.max(1000, Math.min(ReleasePaths.HIST_MAX_NANOS, nanos)));
    }

    /** Latency keys by mode, then method or site: built once, not concatenated for every close. */
    private final Map<String, Map<String, String>> latencyKeys = new HashMap<>();

    private String latencyKey(String path, String mode) {
        Map<String, String> byPath = latencyKeys.computeIfAbsent(mode, k -> new HashMap<>());
        String key = byPath.get(path);
        if (key == null) {
            key = path + " " + mode;
            byPath.put(path, key);
        }
        return key;
    }
}
