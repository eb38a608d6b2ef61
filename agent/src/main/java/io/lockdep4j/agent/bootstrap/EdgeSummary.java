package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.LockGraphSummaryEvent;
import java.util.Arrays;

/**
 * What the agent knows of every lock-order edge it learned, kept so that it can be written again
 * without stacks ({@code lockdep4j.LockGraphSummary}, at every chunk end): JFR may have discarded
 * the edge's own event. Appended to on the slow path only (a new edge, under Recorder's lock),
 * never touched by a known acquisition; bounded by the edge table's capacity (arrays grow by
 * doubling, about 60 bytes per edge). The periodic emitter copies the records under the same lock
 * and formats them outside it, on JFR's periodic-task thread.
 */
final class EdgeSummary {
    private EdgeSummary() {}

    /** The most records kept: as many edges as the edge table holds. */
    static final int CAPACITY = Recorder.EDGE_CAPACITY / 4 * 3;
    private static final int FLAG_HELD_WRITE = 1;
    private static final int FLAG_ACQUIRED_WRITE = 2;
    private static final int FLAG_TRYLOCK = 4;

    // all guarded by Recorder.lock
    private static int size;
    private static long[] keys = new long[0];
    private static int[] heldClass = new int[0];
    private static int[] acquiredClass = new int[0];
    private static byte[] flags = new byte[0];
    private static long[] heldChain = new long[0];
    private static long[] acquiredChain = new long[0];
    private static int[] heldInstance = new int[0];
    private static int[] acquiredInstance = new int[0];
    private static long[] threadId = new long[0];
    private static String[] threadName = new String[0];
    private static String[] otherHeld = new String[0];
    /** The record was written by an earlier generation as seen on more than one thread. */
    private static boolean[] summarizedMulti = new boolean[0];
    /** Records before this index were written by an earlier generation. */
    private static int summarized;
    static long dropped;
    private static long generation;
    /** Lock classes whose name an earlier generation of this recording already wrote. JFR thread only. */
    private static boolean[] named = new boolean[LockClasses.MAX_CLASSES];

    /** A new edge (first thread). Caller holds Recorder.lock. */
    static void add(long key, HeldLocks h, int held, int classId, byte mode, boolean trylock, long acquiredChainId,
                    Object acquiredIdentity) {
        if (size == keys.length && !grow()) {
            dropped++;
            return;
        }
        int i = size++;
        keys[i] = key;
        heldClass[i] = h.classIds[held];
        acquiredClass[i] = classId;
        flags[i] = (byte) ((h.modes[held] == HeldLocks.WRITE ? FLAG_HELD_WRITE : 0)
                | (mode == HeldLocks.WRITE ? FLAG_ACQUIRED_WRITE : 0) | (trylock ? FLAG_TRYLOCK : 0));
        heldChain[i] = h.chains[held];
        acquiredChain[i] = acquiredChainId;
        heldInstance[i] = System.identityHashCode(h.identities[held]);
        acquiredInstance[i] = System.identityHashCode(acquiredIdentity);
        threadId[i] = h.threadId;
        threadName[i] = Thread.currentThread().getName();
        otherHeld[i] = h.depth > 1 ? otherHeldIds(h, held) : "";
    }

    /** The other held locks as {@code classId:mode:instance} (ids and instance in base 36) joined by ','. */
    private static String otherHeldIds(HeldLocks h, int skip) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < h.depth; j++) {
            if (j == skip || (h.flags[j] & HeldLocks.FLAG_REENTRANT) != 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(Integer.toString(h.classIds[j], 36)).append(':').append(h.modes[j] == HeldLocks.WRITE ? 'w' : 'r')
                    .append(':').append(Integer.toString(System.identityHashCode(h.identities[j]), 36));
        }
        return sb.toString();
    }

    private static boolean grow() {
        int n = keys.length;
        if (n >= CAPACITY) {
            return false;
        }
        int m = Math.min(CAPACITY, Math.max(256, n * 2));
        keys = Arrays.copyOf(keys, m);
        heldClass = Arrays.copyOf(heldClass, m);
        acquiredClass = Arrays.copyOf(acquiredClass, m);
        flags = Arrays.copyOf(flags, m);
        heldChain = Arrays.copyOf(heldChain, m);
        acquiredChain = Arrays.copyOf(acquiredChain, m);
        heldInstance = Arrays.copyOf(heldInstance, m);
        acquiredInstance = Arrays.copyOf(acquiredInstance, m);
        threadId = Arrays.copyOf(threadId, m);
        threadName = Arrays.copyOf(threadName, m);
        otherHeld = Arrays.copyOf(otherHeld, m);
        summarizedMulti = Arrays.copyOf(summarizedMulti, m);
        return true;
    }

    /** Forgets every record (Recorder.reset). Caller holds Recorder.lock. */
    static void clear() {
        size = 0;
        dropped = 0;
        keys = new long[0];
        heldClass = new int[0];
        acquiredClass = new int[0];
        flags = new byte[0];
        heldChain = new long[0];
        acquiredChain = new long[0];
        heldInstance = new int[0];
        acquiredInstance = new int[0];
        threadId = new long[0];
        threadName = new String[0];
        otherHeld = new String[0];
        summarizedMulti = new boolean[0];
        summarized = 0;
        generation = 0;
        named = new boolean[LockClasses.MAX_CLASSES];
    }

    static int size() {
        return size;
    }

    /** A consistent copy of the records, taken under Recorder.lock; formatted outside it. */
    private static final class Snapshot {
        int n;
        int total;
        long gen;
        long droppedEdges;
        int[] held;
        int[] acquired;
        byte[] flags;
        boolean[] multi;
        long[] heldChain;
        long[] acquiredChain;
        int[] heldInstance;
        int[] acquiredInstance;
        long[] threadId;
        String[] threadName;
        String[] otherHeld;
    }

    /**
     * Called with Recorder.lock held: the records not yet written, and the older ones that have
     * since been taken by a second thread ({@code multi} reads the edge table's owners). Each
     * generation is incremental, so the summaries of a whole recording cost O(edges), not O(edges
     * x chunks); generations are numbered from 1 per recording, so a reader sees a missing one.
     */
    static Object snapshot(LongTable edges) {
        int[] pick = new int[size - summarized];
        int n = 0;
        for (int i = 0; i < size; i++) {
            boolean multi = Recorder.owner(edges.get(keys[i])) == Recorder.MULTI;
            if (i >= summarized || (multi && !summarizedMulti[i])) {
                if (n == pick.length) {
                    pick = Arrays.copyOf(pick, Math.max(16, n * 2));
                }
                pick[n++] = multi ? -1 - i : i;
                summarizedMulti[i] |= multi;
            }
        }
        summarized = size;
        Snapshot s = new Snapshot();
        s.n = n;
        s.gen = ++generation;
        s.total = size;
        s.droppedEdges = dropped;
        s.held = new int[n];
        s.acquired = new int[n];
        s.flags = new byte[n];
        s.multi = new boolean[n];
        s.heldChain = new long[n];
        s.acquiredChain = new long[n];
        s.heldInstance = new int[n];
        s.acquiredInstance = new int[n];
        s.threadId = new long[n];
        s.threadName = new String[n];
        s.otherHeld = new String[n];
        for (int k = 0; k < n; k++) {
            int i = pick[k] < 0 ? -1 - pick[k] : pick[k];
            s.multi[k] = pick[k] < 0;
            s.held[k] = heldClass[i];
            s.acquired[k] = acquiredClass[i];
            s.flags[k] = flags[i];
            s.heldChain[k] = heldChain[i];
            s.acquiredChain[k] = acquiredChain[i];
            s.heldInstance[k] = heldInstance[i];
            s.acquiredInstance[k] = acquiredInstance[i];
            s.threadId[k] = threadId[i];
            s.threadName[k] = threadName[i];
            s.otherHeld[k] = otherHeld[i];
        }
        return s;
    }

    /**
     * Writes one generation of LockGraphSummary events: {@code parts} events of EDGES_PER_PART
     * edges. A lock class's name is written once per recording, in the first part that uses it;
     * edges name lock classes by the agent's class id.
     */
    static void emit(Object snapshot) {
        Snapshot s = (Snapshot) snapshot;
        int per = LockGraphSummaryEvent.EDGES_PER_PART;
        int parts = Math.max(1, (s.n + per - 1) / per);
        boolean[] named = EdgeSummary.named;
        for (int p = 0; p < parts; p++) {
            StringBuilder locks = new StringBuilder();
            StringBuilder threads = new StringBuilder();
            StringBuilder edges = new StringBuilder(per * 64);
            java.util.HashMap<Long, Integer> threadIndex = new java.util.HashMap<>();
            int end = Math.min(s.n, (p + 1) * per);
            for (int i = p * per; i < end; i++) {
                name(locks, named, s.held[i]);
                name(locks, named, s.acquired[i]);
                String other = s.otherHeld[i];
                if (!other.isEmpty()) {
                    for (String entry : other.split(",")) {
                        name(locks, named, Integer.parseInt(entry.substring(0, entry.indexOf(':')), 36));
                    }
                }
                Integer t = threadIndex.get(s.threadId[i]);
                if (t == null) {
                    t = threadIndex.size();
                    threadIndex.put(s.threadId[i], t);
                    threads.append(t).append('\t').append(s.threadId[i]).append('\t').append(clean(s.threadName[i])).append('\n');
                }
                byte f = s.flags[i];
                edges.append(Integer.toString(s.held[i], 36)).append('\t').append((f & FLAG_HELD_WRITE) != 0 ? 'w' : 'r').append('\t')
                        .append(Integer.toString(s.acquired[i], 36)).append('\t').append((f & FLAG_ACQUIRED_WRITE) != 0 ? 'w' : 'r')
                        .append('\t');
                if ((f & FLAG_TRYLOCK) != 0) {
                    edges.append('t');
                }
                if (s.multi[i]) {
                    edges.append('m');
                }
                if ((f & FLAG_TRYLOCK) == 0 && !s.multi[i]) {
                    edges.append('-');
                }
                edges.append('\t').append(Long.toString(s.heldChain[i], 36)).append('\t').append(Long.toString(s.acquiredChain[i], 36))
                        .append('\t').append(Integer.toString(s.heldInstance[i], 36)).append('\t')
                        .append(Integer.toString(s.acquiredInstance[i], 36))
                        .append('\t').append(t).append('\t').append(other).append('\n');
            }
            LockGraphSummaryEvent e = new LockGraphSummaryEvent();
            e.generation = s.gen;
            e.part = p;
            e.parts = parts;
            e.edgeCount = s.total;
            e.droppedEdges = s.droppedEdges;
            e.locks = locks.toString();
            e.threads = threads.toString();
            e.edges = edges.toString();
            e.commit();
        }
    }

    private static void name(StringBuilder locks, boolean[] named, int classId) {
        if (classId > 0 && classId < named.length && !named[classId]) {
            named[classId] = true;
            lockLine(locks, classId);
        }
    }

    private static void lockLine(StringBuilder sb, int classId) {
        sb.append(Integer.toString(classId, 36)).append('\t').append(LockClasses.kindName(classId)).append('\t').append(LockClasses.name(classId)).append('\n');
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
