package io.lockdep4j.tests.workloads;

import io.lockdep4j.events.DeferredRunEvent;
import io.lockdep4j.events.FileCloseEvent;
import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockContendedEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import io.lockdep4j.events.ReleaseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;

/**
 * Writes a recording of at least {@code MB} megabytes for AnalyzerStreamingTest: millions of
 * high-volume release-path events (unique file paths, so JFR cannot pool the strings away) around
 * two planted hazards: a lock-order cycle Alpha/Beta taken on two threads, and one forced close
 * under Store.lock in the SYNC release Store#roll. Stacks only on the rare kinds, to write fast.
 * (The benchmark's richer generator is benchmarks/.../SyntheticRecording; this one is the few
 * lines a test needs.) Prints {@code events=N}.
 *
 * <pre>java -cp ... io.lockdep4j.tests.workloads.BigRecording out.jfr MB</pre>
 */
public final class BigRecording {
    public static final String ALPHA = "com.acme.streaming.Alpha.lock";
    public static final String BETA = "com.acme.streaming.Beta.lock";
    public static final String STORE = "com.acme.streaming.Store.lock";
    public static final String ROLL = "com.acme.streaming.Store#roll";

    private BigRecording() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long targetBytes = Long.parseLong(args[1]) << 20;
        long events = 0;
        try (Recording r = new Recording()) {
            r.enable(LockChainEvent.class).withStackTrace();
            r.enable(LockOrderEdgeEvent.class).withStackTrace();
            r.enable(ReleaseEvent.class).withStackTrace();
            r.enable(FileCloseEvent.class).withoutStackTrace();
            r.enable(LockContendedEvent.class).withoutStackTrace();
            r.enable(DeferredRunEvent.class).withoutStackTrace();
            r.setToDisk(true);
            r.start();
            long[] planted = new long[1];
            Thread a = new Thread(() -> planted[0] += edge(1, ALPHA, BETA), "alpha-then-beta");
            Thread b = new Thread(() -> planted[0] += edge(3, BETA, ALPHA), "beta-then-alpha");
            a.start();
            a.join();
            b.start();
            b.join();
            events += planted[0];
            for (long i = 1; r.getSize() < targetBytes; i++) {
                boolean forced = i == 1000; // the one blocking release
                FileCloseEvent c = new FileCloseEvent();
                c.path = "/data/streaming/segment-" + i + ".log";
                c.resourceClass = "sun.nio.ch.FileChannelImpl";
                c.heldLocks = forced ? STORE + "(write)" : "";
                c.forced = forced;
                c.blockingNanos = forced ? 25_000_000L : 0;
                c.releaseId = i;
                c.openSiteId = 1 + i % 50;
                c.commit();
                ReleaseEvent rel = new ReleaseEvent();
                rel.releaseId = i;
                rel.method = forced ? ROLL : "com.acme.streaming.Segment#close";
                rel.mode = "SYNC";
                rel.closes = 1;
                rel.heldLocks = c.heldLocks;
                rel.commit();
                LockContendedEvent w = new LockContendedEvent();
                w.lock = "com.acme.streaming.Shard" + (i % 64) + ".lock";
                w.kind = "ReentrantLock";
                w.mode = "write";
                w.heldLocks = "/data/streaming/segment-" + i;
                w.commit();
                DeferredRunEvent d = new DeferredRunEvent();
                d.releaseId = i;
                d.releaseMethod = "com.acme.streaming.Segment#close";
                d.taskClass = "com.acme.streaming.Segment$Close" + i;
                d.queueLag = i % 1_000_000;
                d.commit();
                events += 4;
            }
            r.stop();
            r.dump(out);
        }
        System.out.println("events=" + events + " bytes=" + Files.size(out));
    }

    /**
     * One {@code lockdep4j.LockOrderEdge} between two write-locked ReentrantLock classes, with the
     * ids of the chains where each was taken (as the agent writes it); also used by HugeGraphEndToEndTest.
     */
    public static void commitEdge(String held, String acquired, long heldChain, long acquiredChain, boolean anotherThread) {
        LockOrderEdgeEvent e = new LockOrderEdgeEvent();
        e.heldLock = held;
        e.heldMode = "write";
        e.heldKind = "ReentrantLock";
        e.acquiredLock = acquired;
        e.acquiredMode = "write";
        e.acquiredKind = "ReentrantLock";
        e.heldChainId = heldChain;
        e.acquiredChainId = acquiredChain;
        e.otherHeld = "";
        e.heldInstance = held.hashCode();
        e.acquiredInstance = acquired.hashCode();
        e.anotherThread = anotherThread;
        e.commit();
    }

    /** A chain for {@code held}, then {@code acquired} taken while holding it: 3 events. */
    private static int edge(long id, String held, String acquired) {
        LockChainEvent heldChain = new LockChainEvent();
        heldChain.chainId = id;
        heldChain.lock = held;
        heldChain.kind = "ReentrantLock";
        heldChain.mode = "write";
        heldChain.commit();
        LockChainEvent acquiredChain = new LockChainEvent();
        acquiredChain.chainId = id + 1;
        acquiredChain.parentChainId = id;
        acquiredChain.lock = acquired;
        acquiredChain.kind = "ReentrantLock";
        acquiredChain.mode = "write";
        acquiredChain.depth = 1;
        acquiredChain.heldLocks = held + "(write)";
        acquiredChain.commit();
        commitEdge(held, acquired, id, id + 1, false);
        return 3;
    }
}
