package io.lockdep4j.analyzers.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.analyzers.read.LockEvents.LockSide;
import io.lockdep4j.analyzers.testing.Jfr;
import io.lockdep4j.events.AgentErrorEvent;
import io.lockdep4j.events.AgentStatisticsEvent;
import io.lockdep4j.events.ContextEvent;
import io.lockdep4j.events.DeferredRunEvent;
import io.lockdep4j.events.FileCloseEvent;
import io.lockdep4j.events.FileForceEvent;
import io.lockdep4j.events.FileOpenEvent;
import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import io.lockdep4j.events.RefcountUnderflowEvent;
import io.lockdep4j.events.ReleaseEvent;
import io.lockdep4j.events.ResourceLeakEvent;
import io.lockdep4j.events.SignalEvent;
import io.lockdep4j.events.UseAfterReleaseEvent;
import io.lockdep4j.events.WaitWhileHoldingEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each decoder against a real recording: events committed with jdk.jfr on a named thread, read back
 * with {@link RecordingReader}, decoded; every record component equals the field that was written.
 */
class EventDecodersTest {
    @TempDir
    Path tmp;

    private static final List<Class<? extends Event>> ALL = List.of(LockOrderEdgeEvent.class, LockChainEvent.class,
            AgentStatisticsEvent.class, AgentErrorEvent.class, FileCloseEvent.class, FileForceEvent.class, ReleaseEvent.class,
            DeferredRunEvent.class, WaitWhileHoldingEvent.class, SignalEvent.class, FileOpenEvent.class,
            ResourceLeakEvent.class, RefcountUnderflowEvent.class, UseAfterReleaseEvent.class, ContextEvent.class,
            OldFileClose.class);

    /** Records what {@code body} commits on a thread named "decoded" and returns the decoded events in order. */
    private List<Object> decoded(Runnable body) throws Exception {
        Path file = tmp.resolve("events.jfr");
        try (Recording r = new Recording()) {
            for (Class<? extends Event> c : ALL) {
                r.enable(c).withStackTrace();
            }
            r.start();
            Jfr.onThread("decoded", body);
            r.stop();
            r.dump(file);
        }
        List<Object> out = new ArrayList<>();
        new RecordingReader(null).read(List.of(file), (index, e) -> out.add(EventDecoders.decode(e)));
        return out;
    }

    private static void assertCommittedHere(RecordedThread thread, RecordedStackTrace stack) {
        assertEquals("decoded", thread.getJavaName());
        assertNotNull(stack);
    }

    @Test
    void lockGraphEvents() throws Exception {
        List<Object> events = decoded(() -> {
            LockOrderEdgeEvent edge = new LockOrderEdgeEvent();
            edge.heldLock = "A.lock";
            edge.heldMode = "read";
            edge.heldKind = "ReentrantReadWriteLock";
            edge.heldChainId = 11;
            edge.heldInstance = -5;
            edge.acquiredLock = "B.lock";
            edge.acquiredMode = "write";
            edge.acquiredKind = "monitor";
            edge.acquiredChainId = 12;
            edge.acquiredInstance = 6;
            edge.trylock = true;
            edge.otherHeld = "G(write)#1";
            edge.anotherThread = true;
            edge.commit();
            LockChainEvent chain = new LockChainEvent();
            chain.chainId = 13;
            chain.lock = "C.lock";
            chain.kind = "StampedLock";
            chain.mode = "read";
            chain.trylock = true;
            chain.commit();
            AgentStatisticsEvent stats = new AgentStatisticsEvent();
            stats.version = "1.2";
            stats.options = "o=1";
            stats.edges = 7;
            stats.droppedEdges = 2;
            stats.commit();
            AgentErrorEvent error = new AgentErrorEvent();
            error.kind = "transform";
            error.message = "boom";
            error.commit();
        });
        assertEquals(4, events.size());
        LockEvents.LockOrderEdge edge = (LockEvents.LockOrderEdge) events.get(0);
        assertCommittedHere(edge.thread(), edge.stack());
        assertEquals(new LockSide("A.lock", "read", "ReentrantReadWriteLock", 11, -5), edge.held());
        assertEquals(new LockSide("B.lock", "write", "monitor", 12, 6), edge.acquired());
        assertTrue(edge.trylock());
        assertEquals("G(write)#1", edge.otherHeld());
        assertTrue(edge.anotherThread());
        LockEvents.LockChain chain = (LockEvents.LockChain) events.get(1);
        assertCommittedHere(chain.thread(), chain.stack());
        assertEquals(List.of(13L, "C.lock", "StampedLock", "read", true),
                List.of(chain.chainId(), chain.lock(), chain.kind(), chain.mode(), chain.trylock()));
        LockEvents.AgentStatistics stats = (LockEvents.AgentStatistics) events.get(2);
        assertEquals("1.2", stats.version());
        assertEquals("o=1", stats.options());
        assertEquals(7L, stats.counters().get("edges"));
        assertEquals(2L, stats.counters().get("droppedEdges"));
        assertFalse(stats.counters().containsKey("startTime"), "the event's timing is not a counter");
        assertEquals(new LockEvents.AgentError("transform", "boom"), events.get(3));
    }

    @Test
    void fileAndReleaseEvents() throws Exception {
        List<Object> events = decoded(() -> {
            FileCloseEvent close = new FileCloseEvent();
            close.path = "/d/f";
            close.resourceClass = "java.io.FileOutputStream";
            close.heldLocks = "A(write)";
            close.contexts = "notifier:L#m";
            close.forced = true;
            close.blockingNanos = 1234;
            close.releaseId = 5;
            close.deferred = true;
            close.commit();
            FileForceEvent force = new FileForceEvent();
            force.path = "/d/g";
            force.resourceClass = "sun.nio.ch.FileChannelImpl";
            force.heldLocks = "B(read)";
            force.contexts = "recovery:R#r";
            force.insideClose = true;
            force.releaseId = 6;
            force.deferred = false;
            force.commit();
            ReleaseEvent release = new ReleaseEvent();
            release.releaseId = 5;
            release.method = "Pool#release";
            release.mode = "DEFERRED";
            release.closes = 1;
            release.forces = 2;
            release.handoffs = 3;
            release.heldLocks = "A(write)";
            release.contexts = "mustNotBlock:M#n";
            release.commit();
            DeferredRunEvent run = new DeferredRunEvent();
            run.releaseId = 5;
            run.releaseMethod = "Pool#release";
            run.queueLag = 999;
            run.commit();
        });
        assertEquals(4, events.size());
        ReleaseEvents.FileClose close = (ReleaseEvents.FileClose) events.get(0);
        assertCommittedHere(close.thread(), close.stack());
        assertEquals(List.of("/d/f", "java.io.FileOutputStream", "A(write)", "notifier:L#m", true, 1234L, 5L, true, false),
                List.of(close.path(), close.resourceClass(), close.heldLocks(), close.contexts(), close.forced(),
                        close.blockingNanos(), close.releaseId(), close.deferred(), close.insideClose()));
        assertTrue(close.durationNanos() >= 0);
        ReleaseEvents.FileForce force = (ReleaseEvents.FileForce) events.get(1);
        assertCommittedHere(force.thread(), force.stack());
        assertEquals(List.of("/d/g", "sun.nio.ch.FileChannelImpl", "B(read)", "recovery:R#r", true, 6L, false, true),
                List.of(force.path(), force.resourceClass(), force.heldLocks(), force.contexts(), force.insideClose(),
                        force.releaseId(), force.deferred(), force.forced()));
        ReleaseEvents.Release release = (ReleaseEvents.Release) events.get(2);
        assertCommittedHere(release.thread(), release.stack());
        assertEquals(List.of(5L, "Pool#release", "DEFERRED", 1, 2, 3, "A(write)", "mustNotBlock:M#n"),
                List.of(release.releaseId(), release.method(), release.mode(), release.closes(), release.forces(),
                        release.handoffs(), release.heldLocks(), release.contexts()));
        assertEquals(new ReleaseEvents.DeferredRun(5, "Pool#release", 999), events.get(3));
    }

    @Test
    void waitSignalOpenAndSiteFactEvents() throws Exception {
        List<Object> events = decoded(() -> {
            WaitWhileHoldingEvent wait = new WaitWhileHoldingEvent();
            wait.waitKind = "Object#wait";
            wait.objectClass = "Q";
            wait.objectId = 42;
            wait.heldLocks = "A(write)";
            wait.contexts = "notifier:L#m";
            wait.timed = true;
            wait.inProgress = true;
            wait.waiterThreadId = 77;
            wait.waiterThreadName = "waiter";
            wait.waiterStack = "a.B.c:1";
            wait.commit();
            SignalEvent signal = new SignalEvent();
            signal.signalKind = "Object#notifyAll";
            signal.objectClass = "Q";
            signal.objectId = 42;
            signal.heldLocks = "A(write)";
            signal.commit();
            FileOpenEvent open = new FileOpenEvent();
            open.openSiteId = 9;
            open.commit();
            ResourceLeakEvent leak = new ResourceLeakEvent();
            leak.openSiteId = 9;
            leak.openSite = "a.B#open";
            leak.path = "/d/h";
            leak.resourceClass = "java.io.FileInputStream";
            leak.openThread = "opener";
            leak.openFor = 5000;
            leak.commit();
            RefcountUnderflowEvent under = new RefcountUnderflowEvent();
            under.objectClass = "Buf";
            under.method = "Buf#release";
            under.count = -1;
            under.commit();
            UseAfterReleaseEvent use = new UseAfterReleaseEvent();
            use.objectClass = "Srv";
            use.method = "Srv#get";
            use.shutdownMethod = "Srv#stop";
            use.shutdownThread = "main";
            use.commit();
        });
        assertEquals(6, events.size());
        ReleaseEvents.WaitWhileHolding wait = (ReleaseEvents.WaitWhileHolding) events.get(0);
        assertCommittedHere(wait.thread(), wait.stack());
        assertEquals(List.of("Object#wait", "Q", 42, "A(write)", "notifier:L#m", true, true, 77L, "waiter", "a.B.c:1"),
                List.of(wait.waitKind(), wait.objectClass(), wait.objectId(), wait.heldLocks(), wait.contexts(), wait.timed(),
                        wait.inProgress(), wait.waiterThreadId(), wait.waiterThreadName(), wait.waiterStack()));
        ReleaseEvents.Signal signal = (ReleaseEvents.Signal) events.get(1);
        assertCommittedHere(signal.thread(), signal.stack());
        assertEquals(List.of("Object#notifyAll", "Q", 42, "A(write)"),
                List.of(signal.signalKind(), signal.objectClass(), signal.objectId(), signal.heldLocks()));
        ReleaseEvents.FileOpen open = (ReleaseEvents.FileOpen) events.get(2);
        assertEquals(9, open.openSiteId());
        assertNotNull(open.stack());
        ReleaseEvents.ResourceLeak leak = (ReleaseEvents.ResourceLeak) events.get(3);
        assertCommittedHere(leak.thread(), leak.stack());
        assertEquals(List.of(9L, "a.B#open", "/d/h", "java.io.FileInputStream", "opener", 5000L),
                List.of(leak.openSiteId(), leak.openSite(), leak.path(), leak.resourceClass(), leak.openThread(), leak.openFor()));
        ReleaseEvents.RefcountUnderflow under = (ReleaseEvents.RefcountUnderflow) events.get(4);
        assertCommittedHere(under.thread(), under.stack());
        assertEquals(List.of("Buf", "Buf#release", -1L), List.of(under.objectClass(), under.method(), under.count()));
        ReleaseEvents.UseAfterRelease use = (ReleaseEvents.UseAfterRelease) events.get(5);
        assertCommittedHere(use.thread(), use.stack());
        assertEquals(List.of("Srv", "Srv#get", "Srv#stop", "main"),
                List.of(use.objectClass(), use.method(), use.shutdownMethod(), use.shutdownThread()));
    }

    @Test
    void aTypeTheModelDoesNotAggregateDecodesToNotModelled() throws Exception {
        List<Object> events = decoded(() -> {
            ContextEvent c = new ContextEvent();
            c.commit();
        });
        assertEquals(List.of(EventDecoders.NOT_MODELLED), events);
    }

    /** A FileClose as an older agent might have written it: fewer fields. */
    @Name("lockdep4j.FileClose")
    static final class OldFileClose extends Event {
        String path;
    }

    @Test
    void fieldsMissingFromTheRecordingDecodeAsDefaults() throws Exception {
        List<Object> events = decoded(() -> {
            OldFileClose old = new OldFileClose();
            old.path = "/old";
            old.commit();
        });
        ReleaseEvents.FileClose close = (ReleaseEvents.FileClose) events.get(0);
        assertEquals("/old", close.path());
        assertNull(close.heldLocks());
        assertNull(close.resourceClass());
        assertEquals(0, close.releaseId());
        assertFalse(close.forced());
    }
}
