package io.lockdep4j.analyzers.read;

import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * The release-path events (closes, forces, releases and hand-offs, waits and signals, open handles,
 * refcounts, uses after shutdown) as typed records, with their decoders. Components are the
 * event's fields under the same names (see the event classes in {@code io.lockdep4j.events}), plus
 * {@code durationNanos} for the timed ones; a field missing from the recording reads as null, 0 or
 * false. {@code heldLocks} and {@code contexts} stay text: the model parses each distinct string
 * once ({@code ValueCache}).
 */
public final class ReleaseEvents {
    private ReleaseEvents() {}

    /** What a close and a force have in common: the model groups both as file operations. */
    public interface FileOperation {
        RecordedThread thread();

        RecordedStackTrace stack();

        String path();

        String resourceClass();

        String heldLocks();

        String contexts();

        /** The operation forced the file to disk (always, for a force). */
        boolean forced();

        /** A force that a close did (a close is never inside one). */
        boolean insideClose();

        long durationNanos();

        long releaseId();

        boolean deferred();

        /** Held lock instances no other thread had locked at the time, as class#identityHash;... ("" if none or not recorded). */
        String heldUnshared();
    }

    /** {@code lockdep4j.LockInstanceShared}: a lock instance listed in some heldUnshared was later locked by another thread. */
    public record LockInstanceShared(String lock, int instance) {}

    /** {@code lockdep4j.FileClose}. */
    public record FileClose(RecordedThread thread, RecordedStackTrace stack, String path, String resourceClass,
                            String heldLocks, String contexts, boolean forced, long blockingNanos, long durationNanos,
                            long releaseId, boolean deferred, String heldUnshared) implements FileOperation {
        @Override
        public boolean insideClose() {
            return false;
        }
    }

    /** {@code lockdep4j.FileForce}. */
    public record FileForce(RecordedThread thread, RecordedStackTrace stack, String path, String resourceClass,
                            String heldLocks, String contexts, boolean insideClose, long durationNanos, long releaseId,
                            boolean deferred, String heldUnshared) implements FileOperation {
        @Override
        public boolean forced() {
            return true;
        }
    }

    /** {@code lockdep4j.Release}: one call of a configured release method. */
    public record Release(RecordedThread thread, RecordedStackTrace stack, long releaseId, String method, String mode,
                          int closes, int forces, int handoffs, String heldLocks, String contexts) {}

    /** {@code lockdep4j.DeferredRun}: work a release handed off ran (queueLag after the hand-off). */
    public record DeferredRun(long releaseId, String releaseMethod, long queueLag) {}

    /**
     * {@code lockdep4j.WaitWhileHolding}. When {@code inProgress} (committed at shutdown by another
     * thread), the waiter is in {@code waiterThreadId}, {@code waiterThreadName} and {@code waiterStack};
     * otherwise the waiter is the event's thread and those are not read (0 and null).
     */
    public record WaitWhileHolding(RecordedThread thread, RecordedStackTrace stack, String waitKind, String objectClass,
                                   int objectId, String heldLocks, String contexts, boolean timed, long durationNanos,
                                   boolean inProgress, long waiterThreadId, String waiterThreadName, String waiterStack,
                                   String waitedLock, long timeoutNanos) {}

    /**
     * {@code lockdep4j.Signal}: a signal on an object that some thread waits on, a notify, or the end
     * of a thread or pool worker; {@code takenBefore}: lock classes it released before the signal
     * (empty in recordings older than that field); {@code waitedLock}: a notified monitor's lock class.
     */
    public record Signal(RecordedThread thread, RecordedStackTrace stack, String signalKind, String objectClass,
                         int objectId, String heldLocks, String takenBefore, String waitedLock) {}

    /** {@code lockdep4j.FileOpen}: the first open at a site, for the stack of leaks reported later. */
    public record FileOpen(long openSiteId, RecordedStackTrace stack) {}

    /** {@code lockdep4j.ResourceLeak}: handles still open at exit, per open site. */
    public record ResourceLeak(RecordedThread thread, RecordedStackTrace stack, long openSiteId, String openSite,
                               String path, String resourceClass, String openThread, long openFor) {}

    /** {@code lockdep4j.RefcountUnderflow}. */
    public record RefcountUnderflow(RecordedThread thread, RecordedStackTrace stack, String objectClass, String method,
                                    long count) {}

    /** {@code lockdep4j.UseAfterRelease}. */
    public record UseAfterRelease(RecordedThread thread, RecordedStackTrace stack, String objectClass, String method,
                                  String shutdownMethod, String shutdownThread) {}

    static FileClose fileClose(FieldReader f) {
        return new FileClose(f.thread(), f.stack(),
                f.string("path"),
                f.string("resourceClass"),
                f.string("heldLocks"),
                f.string("contexts"),
                f.flag("forced"),
                f.number("blockingNanos"),
                f.durationNanos(),
                f.number("releaseId"),
                f.flag("deferred"),
                f.string("heldUnshared"));
    }

    static FileForce fileForce(FieldReader f) {
        return new FileForce(f.thread(), f.stack(),
                f.string("path"),
                f.string("resourceClass"),
                f.string("heldLocks"),
                f.string("contexts"),
                f.flag("insideClose"),
                f.durationNanos(),
                f.number("releaseId"),
                f.flag("deferred"),
                f.string("heldUnshared"));
    }

    static LockInstanceShared lockInstanceShared(FieldReader f) {
        return new LockInstanceShared(f.string("lock"), f.integer("instance"));
    }

    static Release release(FieldReader f) {
        return new Release(f.thread(), f.stack(),
                f.number("releaseId"),
                f.string("method"),
                f.string("mode"),
                f.integer("closes"),
                f.integer("forces"),
                f.integer("handoffs"),
                f.string("heldLocks"),
                f.string("contexts"));
    }

    static DeferredRun deferredRun(FieldReader f) {
        return new DeferredRun(f.number("releaseId"), f.string("releaseMethod"), f.number("queueLag"));
    }

    static WaitWhileHolding waitWhileHolding(FieldReader f) {
        boolean inProgress = f.flag("inProgress"); // only then are the waiter fields written
        return new WaitWhileHolding(f.thread(), f.stack(),
                f.string("waitKind"),
                f.string("objectClass"),
                f.integer("objectId"),
                f.string("heldLocks"),
                f.string("contexts"),
                f.flag("timed"),
                f.durationNanos(),
                inProgress,
                inProgress ? f.number("waiterThreadId") : 0,
                inProgress ? f.string("waiterThreadName") : null,
                inProgress ? f.string("waiterStack") : null,
                f.string("waitedLock"),
                f.nanos("timeout"));
    }

    static Signal signal(FieldReader f) {
        return new Signal(f.thread(), f.stack(),
                f.string("signalKind"), f.string("objectClass"), f.integer("objectId"), f.string("heldLocks"),
                f.string("takenBefore"), f.string("waitedLock"));
    }

    static FileOpen fileOpen(FieldReader f) {
        return new FileOpen(f.number("openSiteId"), f.stack());
    }

    static ResourceLeak resourceLeak(FieldReader f) {
        return new ResourceLeak(f.thread(), f.stack(),
                f.number("openSiteId"),
                f.string("openSite"),
                f.string("path"),
                f.string("resourceClass"),
                f.string("openThread"),
                f.number("openFor"));
    }

    static RefcountUnderflow refcountUnderflow(FieldReader f) {
        return new RefcountUnderflow(f.thread(), f.stack(), f.string("objectClass"), f.string("method"), f.number("count"));
    }

    static UseAfterRelease useAfterRelease(FieldReader f) {
        return new UseAfterRelease(f.thread(), f.stack(),
                f.string("objectClass"), f.string("method"), f.string("shutdownMethod"), f.string("shutdownThread"));
    }
}
