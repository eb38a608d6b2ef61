package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;

/**
 * The slow path: an acquisition whose chain key was not known (or was known only on another
 * thread). Decides under one private monitor which chain and edges are new, then emits their
 * JFR events outside it. Runs once per new chain, so its allocations and stack traces do not
 * matter to a steady-state workload.
 */
final class Recorder {
    private Recorder() {}

    static final long MULTI = -1L;
    /**
     * Marks a chain or edge value (owner thread, or MULTI) whose every recorded acquisition took
     * an instance the locking method had just created and no other thread had locked (see
     * SharedInstances): none of them could wait. Cleared, and the edges recorded again, at the
     * first acquisition of any other instance. Thread ids stay below 2^62.
     */
    static final long UNPUBLISHED_ONLY = 1L << 62;
    private static final long MULTI_UNPUBLISHED_ONLY = Long.MAX_VALUE;

    /** The owner thread (or MULTI, or 0) of a chain- or edge-table value. */
    static long owner(long value) {
        return value == MULTI_UNPUBLISHED_ONLY ? MULTI : value > 0 ? value & ~UNPUBLISHED_ONLY : value;
    }

    static boolean unpublishedOnly(long value) {
        return value > 0 && (value & UNPUBLISHED_ONLY) != 0;
    }

    static long value(long owner, boolean unpublishedOnly) {
        return !unpublishedOnly ? owner : owner == MULTI ? MULTI_UNPUBLISHED_ONLY : owner | UNPUBLISHED_ONLY;
    }
    static final int CHAIN_CAPACITY = 1 << 18;
    static final int EDGE_CAPACITY = 1 << 18;
    /** Chain key → id of the first thread that took it, or MULTI once a second thread did. */
    static volatile LongTable chains = new LongTable(CHAIN_CAPACITY);
    /** Edge key (held, acquired, modes, gate set) → first thread id, or MULTI. */
    private static volatile LongTable edges = new LongTable(EDGE_CAPACITY); // written under lock; read racily by anyEdgeLooksNew
    private static final Object lock = new Object();
    static volatile long edgeCount;
    static volatile long chainCount;

    private static final LockChainEvent CHAIN_PROBE = new LockChainEvent();

    /**
     * Records a chain sighting; returns whether a LockChain event with this acquisition's stack was
     * emitted (this thread's first sighting of the chain: the first thread's, or the second's).
     */
    static boolean newChain(HeldLocks h, Object identity, int classId, byte mode, boolean trylock, long key, boolean unpublished) {
        boolean firstTime;
        boolean anotherThread;
        int d = h.depth;
        boolean[] emit = new boolean[d];
        byte policy = AgentConfig.onCycle;
        OnlineCycles.Cycle closed = null;
        boolean reportIt = false;
        Throwable stack = null;
        if (policy != OnlineCycles.OFF && !trylock && d > 0) {
            // Outside the monitor: class initialisation (an event class registers with JFR, which
            // takes JFR's locks) and the stack walk (JFR's exception tracing on JDK 25 takes its
            // locks) must never run under it, or a JFR thread that holds one of those locks and
            // enters the slow path waits for us while we wait for it.
            if (!OnlineCycles.prepared) {
                OnlineCycles.prepare();
            }
            if (anyEdgeLooksNew(h, classId, mode)) {
                stack = new Throwable(); // frames resolved only if a report prints them
            }
        }
        synchronized (lock) {
            long raw = chains.get(key);
            long owner = owner(raw);
            if (owner != 0 && (owner == MULTI || owner == h.threadId)) {
                return false; // another thread raced us here
            }
            OnlineCycles.Observation[] seen = null;
            if (policy != OnlineCycles.OFF) {
                try {
                    seen = new OnlineCycles.Observation[d];
                    closed = online(h, identity, classId, mode, trylock, seen, stack);
                    if (closed != null) {
                        reportIt = OnlineCycles.firstReport(closed);
                    }
                } catch (Throwable t) {
                    AgentCounters.failure("onCycle", t); // the recording goes on without the online check
                    seen = null;
                    closed = null;
                }
                if (closed != null && policy == OnlineCycles.THROW) {
                    seen = null; // the closing acquisition does not happen: learn nothing from it
                }
            }
            if (closed == null || policy != OnlineCycles.THROW) {
                if (owner == 0) {
                    if (!chains.put(key, value(h.threadId, unpublished))) {
                        AgentCounters.droppedChains++;
                        return false;
                    }
                    chainCount++;
                    firstTime = true;
                    anotherThread = false;
                } else {
                    chains.put(key, value(MULTI, unpublished && unpublishedOnly(raw)));
                    firstTime = false;
                    anotherThread = true;
                }
                for (int i = 0; i < d; i++) {
                    if ((h.flags[i] & HeldLocks.FLAG_REENTRANT) != 0) {
                        continue;
                    }
                    long ek = edgeKey(h, i, classId, mode, trylock);
                    long edgeRaw = edges.get(ek);
                    long edgeOwner = owner(edgeRaw);
                    if (edgeOwner == 0) {
                        if (edges.put(ek, value(h.threadId, unpublished))) {
                            emit[i] = true;
                            edgeCount++;
                            EdgeSummary.add(ek, h, i, classId, mode, trylock, key, identity);
                        } else {
                            AgentCounters.droppedEdges++;
                        }
                    } else if (edgeOwner != MULTI && edgeOwner != h.threadId) {
                        edges.put(ek, value(MULTI, unpublished && unpublishedOnly(edgeRaw)));
                        emit[i] = true;
                    } else if (!unpublished && unpublishedOnly(edgeRaw)) {
                        edges.put(ek, edgeOwner); // first taken on a published instance: record it again
                        emit[i] = true;
                    }
                    if (emit[i] && seen != null && seen[i] != null) {
                        OnlineCycles.add(h.classIds[i], classId, seen[i]);
                    }
                }
                if (seen != null && firstTime && mode == HeldLocks.WRITE) {
                    OnlineCycles.noteWrite(classId);
                }
            } else {
                firstTime = false;
                anotherThread = false;
            }
        }
        if (closed != null) {
            String text = reportIt ? CycleReport.report(closed, h, policy) : null;
            if (policy == OnlineCycles.THROW) {
                throw new LockOrderViolationException(text != null ? text
                        : "lockdep4j: acquiring " + LockClasses.name(classId) + " closes the lock-order cycle "
                        + CycleReport.arrow(closed) + " (onCycle=throw; reported above); no lock was taken");
            }
        }
        if (!CHAIN_PROBE.isEnabled()) {
            return false;
        }
        String name = LockClasses.name(classId);
        String kind = LockClasses.kindName(classId);
        String modeName = HeldLockText.modeName(mode);
        {
            // the first thread's sighting and the second's: an edge taken later on either thread
            // names the stack where that thread took its held lock (see FLAG_OWN_STACK)
            LockChainEvent e = new LockChainEvent();
            e.chainId = key;
            e.parentChainId = d == 0 ? 0 : h.chains[d - 1];
            e.lock = name;
            e.kind = kind;
            e.mode = modeName;
            e.trylock = trylock;
            e.depth = d;
            e.heldLocks = HeldLockText.write(h);
            e.commit();
        }
        emitEdges(h, identity, classId, mode, trylock, key, emit, anotherThread, unpublished);
        return true;
    }

    /**
     * A known chain whose every acquisition so far took an unpublished instance was now taken on
     * another: clears the marks and records again the edges that had only unpublished evidence,
     * with this acquisition's stack. Once per such chain.
     */
    static void chainTakenOnLockedInstance(HeldLocks h, Object identity, int classId, byte mode, boolean trylock, long key) {
        int d = h.depth;
        boolean[] emit = new boolean[d];
        synchronized (lock) {
            long raw = chains.get(key);
            if (!unpublishedOnly(raw)) {
                return; // another thread cleared it
            }
            chains.put(key, owner(raw));
            for (int i = 0; i < d; i++) {
                if ((h.flags[i] & HeldLocks.FLAG_REENTRANT) != 0) {
                    continue;
                }
                long ek = edgeKey(h, i, classId, mode, trylock);
                long edgeRaw = edges.get(ek);
                if (unpublishedOnly(edgeRaw)) {
                    edges.put(ek, owner(edgeRaw));
                    emit[i] = true;
                }
            }
        }
        if (CHAIN_PROBE.isEnabled()) {
            emitEdges(h, identity, classId, mode, trylock, key, emit, false, false);
        }
    }

    private static void emitEdges(HeldLocks h, Object identity, int classId, byte mode, boolean trylock, long key,
                                  boolean[] emit, boolean anotherThread, boolean unpublished) {
        String name = LockClasses.name(classId);
        String kind = LockClasses.kindName(classId);
        String modeName = HeldLockText.modeName(mode);
        for (int i = 0; i < emit.length; i++) {
            if (!emit[i]) {
                continue;
            }
            LockOrderEdgeEvent e = new LockOrderEdgeEvent();
            e.heldLock = LockClasses.name(h.classIds[i]);
            e.heldMode = HeldLockText.modeName(h.modes[i]);
            e.heldKind = LockClasses.kindName(h.classIds[i]);
            e.acquiredLock = name;
            e.acquiredMode = modeName;
            e.acquiredKind = kind;
            e.trylock = trylock;
            e.heldChainId = h.chains[i];
            e.heldStackOnThisThread = (h.flags[i] & HeldLocks.FLAG_OWN_STACK) != 0;
            e.acquiredChainId = key;
            e.otherHeld = HeldLockText.write(h, i, null, true);
            e.heldInstance = System.identityHashCode(h.identities[i]);
            e.acquiredInstance = System.identityHashCode(identity);
            e.anotherThread = anotherThread;
            e.acquiredUnpublished = unpublished;
            e.commit();
        }
    }

    /**
     * The online check (under lock): the observation of every edge this acquisition would add that
     * is new to the online graph (into {@code seen}), and the first cycle one of them closes, or null.
     * A tryLock waits for nothing, so it closes nothing and is not part of the online graph.
     */
    private static OnlineCycles.Cycle online(HeldLocks h, Object identity, int classId, byte mode, boolean trylock,
                                             OnlineCycles.Observation[] seen, Throwable stack) {
        OnlineCycles.Cycle closed = null;
        boolean noted = false;
        for (int i = 0; i < h.depth; i++) {
            if ((h.flags[i] & HeldLocks.FLAG_REENTRANT) != 0 || h.classIds[i] == classId) {
                continue;
            }
            long edgeOwner = owner(edges.get(edgeKey(h, i, classId, mode, trylock)));
            if (edgeOwner != 0 && (edgeOwner == MULTI || edgeOwner == h.threadId)) {
                continue; // known edge: nothing new to judge
            }
            if (!noted) {
                // every new edge counts for gate trust, tryLock ones too, as in the analyzer
                OnlineCycles.noteInstances(h, classId, identity);
                noted = true;
            }
            if (trylock) {
                return null; // a tryLock waits for nothing: it closes no cycle, and is no edge of one
            }
            OnlineCycles.Observation o = OnlineCycles.observe(h, i, mode);
            if (!OnlineCycles.isNew(h.classIds[i], classId, o)) {
                continue;
            }
            OnlineCycles.keepStack(o, stack); // null only if a racing reset made a known edge new again
            seen[i] = o;
            if (closed == null) {
                closed = OnlineCycles.check(h.classIds[i], classId, o);
            }
        }
        return closed;
    }

    /** A racy look (outside the monitor) at whether some edge of this acquisition is new: worth a stack walk. */
    private static boolean anyEdgeLooksNew(HeldLocks h, int classId, byte mode) {
        LongTable e = edges;
        for (int i = 0; i < h.depth; i++) {
            if ((h.flags[i] & HeldLocks.FLAG_REENTRANT) != 0 || h.classIds[i] == classId) {
                continue;
            }
            long owner = owner(e.get(edgeKey(h, i, classId, mode, false)));
            if (owner == 0 || (owner != MULTI && owner != h.threadId)) {
                return true;
            }
        }
        return false;
    }

    /** The edge's key includes the set of other held classes, so an edge seen under a new gate is recorded again. */
    private static long edgeKey(HeldLocks h, int held, int classId, byte mode, boolean trylock) {
        long gates = 0;
        for (int j = 0; j < h.depth; j++) {
            if (j != held && (h.flags[j] & HeldLocks.FLAG_REENTRANT) == 0) {
                gates += HeldLocks.mix(7, h.classIds[j], h.modes[j], false); // order-insensitive
            }
        }
        long k = HeldLocks.mix(HeldLocks.SEED, h.classIds[held], h.modes[held], false);
        k = HeldLocks.mix(k, classId, mode, trylock);
        return HeldLocks.mix(k ^ gates, 0, (byte) 0, false);
    }

    /**
     * Forgets every known chain and edge, so they are reported again: called when a recording
     * starts, because what was learned while no recording ran (e.g. between an attach and
     * JFR.start) was never written anywhere.
     */
    static void reset() {
        synchronized (lock) {
            edges = new LongTable(EDGE_CAPACITY);
            chains = new LongTable(CHAIN_CAPACITY);
            EdgeSummary.clear();
        }
    }

    /** A copy of every known edge, for lockdep4j.LockGraphSummary (formatted outside the lock). */
    static Object summarySnapshot() {
        synchronized (lock) {
            return EdgeSummary.snapshot(edges);
        }
    }
}
