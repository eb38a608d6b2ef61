package io.lockdep4j.analyzers.testing;

import io.lockdep4j.events.FileCloseEvent;
import io.lockdep4j.events.FileForceEvent;
import io.lockdep4j.events.ReleaseEvent;
import io.lockdep4j.events.SignalEvent;
import io.lockdep4j.events.UseAfterReleaseEvent;
import io.lockdep4j.events.WaitWhileHoldingEvent;

/** Commits synthetic release-path events the way the agent would (see {@link Emit}). */
public final class EmitRelease {
    private EmitRelease() {}

    public static void force(String path, String held, String contexts, long releaseId) {
        FileForceEvent e = new FileForceEvent();
        e.path = path;
        e.resourceClass = "sun.nio.ch.FileChannelImpl";
        e.metaData = true;
        e.heldLocks = held;
        e.heldLockCount = held.isEmpty() ? 0 : held.split(";").length;
        e.contexts = contexts;
        e.insideClose = false;
        e.releaseId = releaseId;
        e.commit();
    }

    public static void close(String path, String held, String contexts, boolean forced, long blockingNanos, long releaseId,
                             boolean deferred) {
        FileCloseEvent e = new FileCloseEvent();
        e.path = path;
        e.resourceClass = "sun.nio.ch.FileChannelImpl";
        e.heldLocks = held;
        e.heldLockCount = held.isEmpty() ? 0 : held.split(";").length;
        e.contexts = contexts;
        e.forced = forced;
        e.blockingNanos = blockingNanos;
        e.releaseId = releaseId;
        e.deferred = deferred;
        e.commit();
    }

    public static void release(long releaseId, String method, String mode, String held) {
        ReleaseEvent e = new ReleaseEvent();
        e.releaseId = releaseId;
        e.method = method;
        e.mode = mode;
        e.closes = "SYNC".equals(mode) ? 1 : 0;
        e.handoffs = "SYNC".equals(mode) ? 0 : 1;
        e.heldLocks = held;
        e.commit();
    }

    public static void waitHolding(int objectId, String held) {
        WaitWhileHoldingEvent e = new WaitWhileHoldingEvent();
        e.waitKind = "java.util.concurrent.CompletableFuture#get";
        e.objectClass = "java.util.concurrent.CompletableFuture";
        e.objectId = objectId;
        e.heldLocks = held;
        e.heldLockCount = 1;
        e.timed = true;
        e.commit();
    }

    public static void signal(int objectId, String held) {
        SignalEvent e = new SignalEvent();
        e.signalKind = "java.util.concurrent.CompletableFuture#complete";
        e.objectClass = "java.util.concurrent.CompletableFuture";
        e.objectId = objectId;
        e.heldLocks = held;
        e.heldLockCount = held.isEmpty() ? 0 : 1;
        e.commit();
    }

    public static void useAfterRelease(String method, String shutdown) {
        UseAfterReleaseEvent e = new UseAfterReleaseEvent();
        e.objectClass = "Srv";
        e.objectId = 7;
        e.method = method;
        e.shutdownMethod = shutdown;
        e.shutdownThread = "main";
        e.commit();
    }
}
