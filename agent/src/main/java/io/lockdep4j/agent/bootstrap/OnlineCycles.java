package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.LockOrderRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;

/**
 * The agent's own lock-order graph and the online cycle check (agent option {@code onCycle}), the
 * moment Linux lockdep reports: when an acquisition adds a new edge {@code held -> acquired}, is
 * there already a path {@code acquired -> ... -> held}? The check judges a cycle with the rules the
 * offline analyzer applies ({@link LockOrderRules}): tryLock edges and self-edges are not in the
 * graph, every lock of the cycle must block its waiter (read on both sides needs a writer somewhere),
 * and a gate lock instance held in write mode beside every edge (of a class seen with one instance
 * only) makes it harmless.
 *
 * <p>Runs only on Recorder's slow path (a new chain), under Recorder's private monitor, which
 * guards every field here: the agent never instruments its own package, so that monitor is never
 * seen by the hooks, and the known path never comes here. Bounded: at most {@link #MAX_EDGES} class
 * edges with {@link #OBSERVATIONS_PER_EDGE} observations each (the first {@link #MAX_STACKS} keep their stack, unresolved; a report prints {@link #MAX_FRAMES}
 * frames), cycles of up to {@link #MAX_CYCLE_LENGTH} lock classes, and {@link #SEARCH_BUDGET} steps per
 * check; a check that stops at its budget or an edge that does not fit is counted
 * ({@code onlineChecksGivenUp}), never waited for.
 */
final class OnlineCycles {
    private OnlineCycles() {}

    static final byte OFF = 0;
    static final byte REPORT = 1;
    static final byte THROW = 2;

    static final int MAX_EDGES = 1 << 16;
    static final int OBSERVATIONS_PER_EDGE = 8;
    static final int MAX_CYCLE_LENGTH = 6;
    static final int SEARCH_BUDGET = 20_000;
    static final int MAX_FRAMES = 32;
    static final int MAX_REPORTED_CYCLES = 4096;
    /** Stacks kept for reports (about 1-2 KB each, unresolved); later observations keep none. */
    static final int MAX_STACKS = 8192;
    private static int stacksKept;

    /** Keeps {@code stack} for {@code o} while under {@link #MAX_STACKS} (under Recorder's monitor). */
    static void keepStack(Observation o, Throwable stack) {
        if (stack != null && stacksKept < MAX_STACKS) {
            o.stack = stack;
            stacksKept++;
        }
    }

    /** One way an edge was taken: modes, thread, the write-held gates beside it, the stack that took it. */
    static final class Observation {
        final boolean heldWrite;
        final boolean acquiredWrite;
        final long threadId;
        final String threadName;
        /** (class id, identity hash) of every other lock held in write mode, see {@link #gateKey}. */
        final long[] gates;
        /**
         * Where the edge was taken: a Throwable whose frames are only resolved when a report prints
         * them (resolving them is most of a stack walk's cost). Null when over {@link #MAX_STACKS}.
         */
        Throwable stack;

        Observation(boolean heldWrite, boolean acquiredWrite, long threadId, String threadName, long[] gates,
                    Throwable stack) {
            this.heldWrite = heldWrite;
            this.acquiredWrite = acquiredWrite;
            this.threadId = threadId;
            this.threadName = threadName;
            this.gates = gates;
            this.stack = stack;
        }

        boolean sameAs(Observation o) {
            return heldWrite == o.heldWrite && acquiredWrite == o.acquiredWrite && threadId == o.threadId
                    && java.util.Arrays.equals(gates, o.gates);
        }
    }

    static final class Edge {
        final int from;
        final int to;
        final Observation[] observations = new Observation[OBSERVATIONS_PER_EDGE];
        int count;

        Edge(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    /** A cycle the new edge closes: lock classes (held, acquired, ...) and the observation chosen per edge. */
    static final class Cycle {
        final int[] classes;
        final Observation[] chosen;
        final boolean[] needsWriter;
        final boolean singleThread;
        final long key;

        Cycle(int[] classes, Observation[] chosen, boolean[] needsWriter, boolean singleThread) {
            this.classes = classes;
            this.chosen = chosen;
            this.needsWriter = needsWriter;
            this.singleThread = singleThread;
            int[] sorted = classes.clone();
            java.util.Arrays.sort(sorted);
            long k = HeldLocks.SEED;
            for (int c : sorted) {
                k = HeldLocks.mix(k, c, (byte) 0, false);
            }
            this.key = k;
        }
    }

    /** Whether {@link #prepare} ran. */
    static volatile boolean prepared;

    /**
     * Loads and initialises, outside Recorder's monitor, every class the check and its report use,
     * so that under the monitor the check only reads and writes its own tables. Runs once, on the
     * first new chain. Nothing here touches JFR (an event class's initialisation registers it, under
     * JFR's locks): a JFR thread that holds those locks can take the slow path too.
     */
    static void prepare() {
        Observation o = new Observation(true, true, 0, "", new long[0], null);
        Edge e = new Edge(0, 0);
        e.observations[0] = o;
        java.util.Arrays.sort(new long[] {2, 1});
        LockOrderRules.blocks(LockOrderRules.canGate(true), LockOrderRules.canWait(false, false), false);
        new Search(0, 0, o).choose(1);
        new Cycle(new int[] {1, 2}, new Observation[] {o, o}, new boolean[2], true);
        new HashMap<Long, Edge>().put(1L, e);
        new ArrayList<Edge>(1).add(e);
        new HashSet<Integer>().add(1);
        CycleReport.prepare();
        new LockOrderViolationException("").getMessage();
        prepared = true;
    }

    private static final HashMap<Long, Edge> edges = new HashMap<>();
    private static final HashMap<Integer, ArrayList<Edge>> out = new HashMap<>();
    private static final HashMap<Integer, Integer> firstInstance = new HashMap<>();
    private static final HashSet<Integer> severalInstances = new HashSet<>();
    private static final HashSet<Integer> writeLocked = new HashSet<>();
    private static final HashSet<Long> reported = new HashSet<>();

    static long gateKey(int classId, Object identity) {
        return ((long) classId << 32) | (System.identityHashCode(identity) & 0xffffffffL);
    }

    /** A lock class was acquired in write mode (a new chain): read-read cycles through it can block. */
    static void noteWrite(int classId) {
        if (writeLocked.size() < MAX_EDGES) {
            writeLocked.add(classId);
        }
    }

    /** The observation held entry {@code i} of {@code h} and the lock being acquired make. */
    static Observation observe(HeldLocks h, int i, byte mode) {
        int n = 0;
        long[] g = new long[h.depth];
        for (int j = 0; j < h.depth; j++) {
            if (j != i && (h.flags[j] & HeldLocks.FLAG_REENTRANT) == 0
                    && LockOrderRules.canGate(h.modes[j] == HeldLocks.WRITE)) {
                g[n++] = gateKey(h.classIds[j], h.identities[j]);
            }
        }
        long[] gates = java.util.Arrays.copyOf(g, n);
        java.util.Arrays.sort(gates);
        Thread t = Thread.currentThread();
        return new Observation(h.modes[i] == HeldLocks.WRITE, mode == HeldLocks.WRITE, h.threadId, t.getName(), gates, null);
    }

    /**
     * Notes the instances of an acquisition's locks (for gate trust, as the analyzer does per
     * recording): a gate class seen with two instances may have been another instance later.
     */
    static void noteInstances(HeldLocks h, int classId, Object identity) {
        noteInstance(classId, identity);
        for (int j = 0; j < h.depth; j++) {
            if ((h.flags[j] & HeldLocks.FLAG_REENTRANT) == 0) {
                noteInstance(h.classIds[j], h.identities[j]);
            }
        }
    }

    private static void noteInstance(int classId, Object identity) {
        if (severalInstances.contains(classId)) {
            return;
        }
        int hash = System.identityHashCode(identity);
        Integer first = firstInstance.get(classId);
        if (first == null) {
            if (firstInstance.size() < MAX_EDGES) {
                firstInstance.put(classId, hash);
            }
        } else if (first != hash) {
            severalInstances.add(classId);
        }
    }

    /** Whether this edge observation would be new to the online graph (else there is nothing to check). */
    static boolean isNew(int from, int to, Observation o) {
        Edge e = edges.get(edgeKey(from, to));
        if (e == null) {
            return true;
        }
        for (int k = 0; k < e.count; k++) {
            if (e.observations[k].sameAs(o)) {
                return false;
            }
        }
        return true;
    }

    static void add(int from, int to, Observation o) {
        long key = edgeKey(from, to);
        Edge e = edges.get(key);
        if (e == null) {
            if (edges.size() >= MAX_EDGES) {
                AgentCounters.onlineChecksGivenUp++;
                return;
            }
            e = new Edge(from, to);
            edges.put(key, e);
            ArrayList<Edge> list = out.get(from);
            if (list == null) {
                list = new ArrayList<>(4);
                out.put(from, list);
            }
            list.add(e);
        }
        for (int k = 0; k < e.count; k++) {
            if (e.observations[k].sameAs(o)) {
                return;
            }
        }
        if (e.count < OBSERVATIONS_PER_EDGE) {
            e.observations[e.count++] = o;
        }
    }

    /** Whether this cycle is seen for the first time (then it is reported). Bounded. */
    static boolean firstReport(Cycle c) {
        if (reported.contains(c.key)) {
            return false;
        }
        if (reported.size() < MAX_REPORTED_CYCLES) {
            reported.add(c.key);
        }
        return true;
    }

    private static long edgeKey(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }

    // ---------------------------------------------------------------- the search

    /**
     * The shortest cycle that the new edge {@code from -> to}, taken as {@code o}, closes and that
     * could deadlock, or null. Paths {@code to -> ... -> from} are searched by iterative deepening,
     * shortest first, within {@link #SEARCH_BUDGET} steps shared with the choice of observations.
     */
    static Cycle check(int from, int to, Observation o) {
        if (!LockOrderRules.canWait(false, from == to)) {
            return null;
        }
        AgentCounters.onlineCycleChecks++;
        Search s = new Search(from, to, o);
        for (int length = 2; length <= MAX_CYCLE_LENGTH && s.budget > 0; length++) {
            s.path[0] = from;
            s.path[1] = to;
            Cycle c = s.paths(1, length);
            if (c != null) {
                AgentCounters.onlineCyclesFound++;
                return c;
            }
        }
        if (s.budget <= 0) {
            AgentCounters.onlineChecksGivenUp++;
        }
        return null;
    }

    private static final class Search {
        final int from;
        final Observation closing;
        final int[] path = new int[MAX_CYCLE_LENGTH];
        final Edge[] via = new Edge[MAX_CYCLE_LENGTH];
        int budget = SEARCH_BUDGET;

        Search(int from, int to, Observation closing) {
            this.from = from;
            this.closing = closing;
        }

        /** Extends path[0..depth] (path[depth] is the current lock) to exactly {@code length} locks ending back at from. */
        Cycle paths(int depth, int length) {
            ArrayList<Edge> next = out.get(path[depth]);
            if (next == null) {
                return null;
            }
            for (int k = 0; k < next.size(); k++) {
                if (--budget <= 0) {
                    return null;
                }
                Edge e = next.get(k);
                if (depth == length - 1) {
                    if (e.to == from) {
                        via[depth] = e;
                        Cycle c = choose(length);
                        if (c != null) {
                            return c;
                        }
                    }
                    continue;
                }
                if (onPath(e.to, depth)) {
                    continue;
                }
                via[depth] = e;
                path[depth + 1] = e.to;
                Cycle c = paths(depth + 1, length);
                if (c != null) {
                    return c;
                }
            }
            return null;
        }

        private boolean onPath(int lock, int depth) {
            for (int i = 0; i <= depth; i++) {
                if (path[i] == lock) {
                    return true;
                }
            }
            return false;
        }

        // ---- one observation per edge: edge 0 is the new one; edge i goes from path[i] to path[i+1]

        private Observation[] chosen;
        private Observation[] best;
        private boolean bestMulti;
        private int n;

        Cycle choose(int length) {
            n = length;
            chosen = new Observation[n];
            chosen[0] = closing;
            best = null;
            bestMulti = false;
            pick(1, closing.gates);
            if (best == null) {
                return null;
            }
            boolean[] needsWriter = new boolean[n];
            for (int i = 0; i < n; i++) {
                Observation in = best[(i + n - 1) % n];
                needsWriter[i] = !in.acquiredWrite && !best[i].heldWrite;
            }
            return new Cycle(java.util.Arrays.copyOf(path, n), best, needsWriter, !bestMulti);
        }

        private void pick(int i, long[] gates) {
            if (bestMulti || budget-- <= 0) {
                return;
            }
            if (i == n) {
                if (!lockBlocks(0, chosen[n - 1], chosen[0]) || hasTrustedGate(gates)) {
                    return;
                }
                boolean multi = multiThread();
                if (best == null || multi) {
                    best = chosen.clone();
                    bestMulti = multi;
                }
                return;
            }
            Edge e = via[i];
            for (int k = 0; k < e.count; k++) {
                Observation o = e.observations[k];
                if (!lockBlocks(i, chosen[i - 1], o)) {
                    continue;
                }
                chosen[i] = o;
                pick(i + 1, intersect(gates, o.gates));
            }
        }

        private boolean lockBlocks(int i, Observation in, Observation outEdge) {
            return LockOrderRules.blocks(in.acquiredWrite, outEdge.heldWrite, writeLocked.contains(path[i]));
        }

        private boolean multiThread() {
            for (int i = 1; i < n; i++) {
                if (chosen[i].threadId != chosen[0].threadId) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean hasTrustedGate(long[] gates) {
        for (long g : gates) {
            if (!severalInstances.contains((int) (g >>> 32))) {
                return true;
            }
        }
        return false;
    }

    private static long[] intersect(long[] a, long[] b) {
        if (a.length == 0) {
            return a;
        }
        if (b.length == 0) {
            return b;
        }
        long[] r = new long[Math.min(a.length, b.length)];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                r[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return java.util.Arrays.copyOf(r, n);
    }
}
