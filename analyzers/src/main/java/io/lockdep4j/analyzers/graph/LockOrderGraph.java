package io.lockdep4j.analyzers.graph;

import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The lock-order graph: vertices are lock classes, an edge is a model {@link LockEdge} ("holding
 * from, acquired to"). Stored as int arrays (successors and predecessors of each lock class, in
 * name order), about 8 bytes per edge, so 10^6 edges fit in a few MB next to the model.
 *
 * <p>The cycle search is bounded by construction, because a recording can hold 10^5 lock classes
 * and 10^6 edges and the number of simple cycles grows exponentially:
 * <ul>
 *   <li>Only strongly connected components with two or more lock classes are searched (Tarjan).
 *   <li>Shortest cycles first: all cycles of 2 lock classes in every component, then of 3, ... up
 *       to {@link CycleLimits#maxLength()}. Within one length, small components go first, so one
 *       huge component cannot starve the others.
 *   <li>Each cycle is found once, from its smallest lock class {@code s}, by a depth-first walk
 *       over larger lock classes of the same component that only enters a lock class from which
 *       {@code s} is still reachable in the remaining steps (a backwards breadth-first search from
 *       {@code s} gives those distances). In a long ring with chords, where no short cycle exists
 *       but short paths abound, the walk therefore never starts.
 *   <li>Every edge looked at is one step of a work budget, checked together with a wall-clock
 *       deadline; the search also stops at {@code maxCycles} cycles, and a component stops at
 *       {@code maxCyclesPerComponent}. Memory is the graph, a few arrays per lock class, and the
 *       cycles kept: cycles are never all materialised.
 * </ul>
 * The result says which bound stopped the search, up to which length it was complete, and how
 * much was left unexplored.
 *
 * <pre>{@code
 * LockOrderGraph g = LockOrderGraph.of(model, LockEdge::hasBlockingObservation);
 * LockOrderGraph.CycleSearch s = g.cycles(CycleLimits.defaults());
 * s.cycles().forEach(c -> System.out.println(String.join(" -> ", c)));
 * }</pre>
 */
public final class LockOrderGraph {
    /** How often (in steps) the wall clock is read. */
    private static final int CLOCK_EVERY = 4096;

    private final String[] names;
    private final int[] outStart;
    private final int[] out;
    private final int[] inStart;
    private final int[] in;

    private LockOrderGraph(String[] names, int[] outStart, int[] out, int[] inStart, int[] in) {
        this.names = names;
        this.outStart = outStart;
        this.out = out;
        this.inStart = inStart;
        this.in = in;
    }

    /**
     * The graph of the model's edges that pass {@code include}. Self-edges (two instances of one
     * lock class nested) are never added: they are not lock-order cycles between classes.
     */
    public static LockOrderGraph of(LockModel model, Predicate<LockEdge> include) {
        // Vertex ids follow name order: the smallest id of a cycle is its smallest lock class, which
        // is where a cycle is printed from, and iterating by id keeps reports deterministic.
        String[] names = new TreeSet<>(model.lockClasses()).toArray(String[]::new);
        Map<String, Integer> id = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            id.put(names[i], i);
        }
        List<LockEdge> kept = new ArrayList<>();
        for (LockEdge e : model.edges()) {
            if (!e.isSelfEdge() && include.test(e)) {
                kept.add(e);
            }
        }
        int[] from = new int[kept.size()];
        int[] to = new int[kept.size()];
        for (int k = 0; k < from.length; k++) {
            from[k] = id.get(kept.get(k).from());
            to[k] = id.get(kept.get(k).to());
        }
        return of(names, from, to);
    }

    /**
     * The graph of edges {@code names[from[k]] -> names[to[k]]}. Names must be sorted and distinct
     * (ids follow name order); self-edges are dropped. For tools and tests that have no model:
     * 10^6 edges cost two int arrays.
     */
    public static LockOrderGraph of(String[] names, int[] from, int[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("from and to differ in length: " + from.length + " vs " + to.length);
        }
        for (int i = 1; i < names.length; i++) {
            if (names[i - 1].compareTo(names[i]) >= 0) {
                throw new IllegalArgumentException("lock class names must be sorted and distinct: " + names[i - 1] + ", " + names[i]);
            }
        }
        int n = names.length;
        // Sorted and deduplicated as (from, to) pairs: an edge given twice must not give a cycle twice.
        long[] pairs = new long[from.length];
        int m = 0;
        for (int k = 0; k < from.length; k++) {
            if (from[k] < 0 || from[k] >= n || to[k] < 0 || to[k] >= n) {
                throw new IllegalArgumentException("edge " + k + " names no lock class: " + from[k] + " -> " + to[k]);
            }
            if (from[k] != to[k]) {
                pairs[m++] = (long) from[k] << 32 | to[k];
            }
        }
        Arrays.sort(pairs, 0, m);
        int distinct = 0;
        for (int k = 0; k < m; k++) {
            if (k == 0 || pairs[k] != pairs[k - 1]) {
                pairs[distinct++] = pairs[k];
            }
        }
        m = distinct;
        int[] f = new int[m];
        int[] t = new int[m];
        for (int k = 0; k < m; k++) {
            f[k] = (int) (pairs[k] >>> 32);
            t[k] = (int) pairs[k];
        }
        pairs = null;
        int[] outStart = new int[n + 1];
        int[] out = new int[m];
        int[] inStart = new int[n + 1];
        int[] in = new int[m];
        fill(f, t, outStart, out);
        fill(t, f, inStart, in);
        return new LockOrderGraph(names.clone(), outStart, out, inStart, in);
    }

    /** Compressed rows: for each {@code key} vertex its {@code value} vertices, sorted. */
    private static void fill(int[] key, int[] value, int[] start, int[] row) {
        for (int k : key) {
            start[k + 1]++;
        }
        for (int v = 0; v + 1 < start.length; v++) {
            start[v + 1] += start[v];
        }
        int[] next = Arrays.copyOf(start, start.length - 1);
        for (int k = 0; k < key.length; k++) {
            row[next[key[k]]++] = value[k];
        }
        for (int v = 0; v + 1 < start.length; v++) {
            Arrays.sort(row, start[v], start[v + 1]);
        }
    }

    public int lockClassCount() {
        return names.length;
    }

    public int edgeCount() {
        return out.length;
    }

    /** Strongly connected components with at least two lock classes, each sorted, ordered by first lock class. */
    public List<Set<String>> nonTrivialComponents() {
        List<Set<String>> result = new ArrayList<>();
        for (int[] c : components()) {
            Set<String> s = new TreeSet<>();
            for (int v : c) {
                s.add(names[v]);
            }
            result.add(s);
        }
        return result;
    }

    /** Components of two or more vertices, each as sorted vertex ids, ordered by their smallest id. */
    private List<int[]> components() {
        int n = names.length;
        int[] comp = tarjan();
        int[] size = new int[n];
        for (int v = 0; v < n; v++) {
            size[comp[v]]++;
        }
        int[][] members = new int[n][];
        List<int[]> result = new ArrayList<>();
        int[] filled = new int[n];
        for (int v = 0; v < n; v++) { // ascending v: members come out sorted, components by smallest id
            int c = comp[v];
            if (size[c] < 2) {
                continue;
            }
            if (members[c] == null) {
                members[c] = new int[size[c]];
                result.add(members[c]);
            }
            members[c][filled[c]++] = v;
        }
        return result;
    }

    /**
     * Tarjan's strongly connected components, iterative (a recursive walk would overflow the stack
     * on a ring of 10^5 lock classes). Returns the component number of each vertex.
     */
    private int[] tarjan() {
        int n = names.length;
        int[] index = new int[n];
        int[] low = new int[n];
        int[] comp = new int[n];
        Arrays.fill(index, -1);
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int sp = 0;
        int[] callVertex = new int[n];
        int[] callEdge = new int[n];
        int next = 0;
        int components = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int depth = 0;
            callVertex[0] = root;
            callEdge[0] = outStart[root];
            index[root] = low[root] = next++;
            stack[sp++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callVertex[depth];
                if (callEdge[depth] < outStart[v + 1]) {
                    int w = out[callEdge[depth]++];
                    if (index[w] < 0) {
                        index[w] = low[w] = next++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        depth++;
                        callVertex[depth] = w;
                        callEdge[depth] = outStart[w];
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int w;
                    do {
                        w = stack[--sp];
                        onStack[w] = false;
                        comp[w] = components;
                    } while (w != v);
                    components++;
                }
                depth--;
                if (depth >= 0) {
                    int parent = callVertex[depth];
                    low[parent] = Math.min(low[parent], low[v]);
                }
            }
        }
        return comp;
    }

    /** Simple cycles of at most {@code maxLength} lock classes, at most {@code maxCycles}, the other limits at their defaults. */
    public CycleSearch cycles(int maxLength, int maxCycles) {
        CycleLimits d = CycleLimits.defaults();
        return cycles(new CycleLimits(maxLength, maxCycles, d.maxCyclesPerComponent(), d.budgetSteps(), d.timeoutMillis()));
    }

    /**
     * Simple cycles, shortest first, within {@code limits}; each rotated to start at its smallest
     * lock class, sorted by length and then by name.
     */
    public CycleSearch cycles(CycleLimits limits) {
        return new Search(limits).run();
    }

    /** The same cycle always prints the same way: rotated so it starts at its smallest class. */
    static List<String> canonical(List<String> cycle) {
        int min = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).compareTo(cycle.get(min)) < 0) {
                min = i;
            }
        }
        List<String> result = new ArrayList<>(cycle.size());
        for (int i = 0; i < cycle.size(); i++) {
            result.add(cycle.get((min + i) % cycle.size()));
        }
        return List.copyOf(result);
    }

    /**
     * Limits of the cycle search.
     *
     * @param maxLength longest cycle searched, in lock classes
     * @param maxCycles the search stops after this many cycles
     * @param maxCyclesPerComponent a strongly connected component stops after this many cycles, so
     *     that one dense component does not use up {@code maxCycles}
     * @param budgetSteps the search stops after looking at this many edges (deterministic: the
     *     same input and budget give the same report)
     * @param timeoutMillis the search stops after this much wall-clock time (a safety net for slow
     *     machines; when it is what stopped the search, the result depends on the machine)
     */
    public record CycleLimits(int maxLength, int maxCycles, int maxCyclesPerComponent, long budgetSteps, long timeoutMillis) {
        public static final int DEFAULT_MAX_LENGTH = 6;
        public static final int DEFAULT_MAX_CYCLES = 1000;
        public static final int DEFAULT_MAX_CYCLES_PER_COMPONENT = 100;
        public static final long DEFAULT_BUDGET_STEPS = 200_000_000L;
        public static final long DEFAULT_TIMEOUT_MILLIS = 30_000L;

        public CycleLimits {
            if (maxLength < 2 || maxCycles < 1 || maxCyclesPerComponent < 1 || budgetSteps < 1 || timeoutMillis < 1) {
                throw new IllegalArgumentException("cycle search limits must be positive (and the length at least 2): "
                        + maxLength + ", " + maxCycles + ", " + maxCyclesPerComponent + ", " + budgetSteps + ", " + timeoutMillis);
            }
        }

        public static CycleLimits defaults() {
            return new CycleLimits(DEFAULT_MAX_LENGTH, DEFAULT_MAX_CYCLES, DEFAULT_MAX_CYCLES_PER_COMPONENT,
                    DEFAULT_BUDGET_STEPS, DEFAULT_TIMEOUT_MILLIS);
        }
    }

    /** What stopped the search before it had looked at every cycle of at most {@code maxLength} lock classes. */
    public enum Bound {
        /** The work budget (edges looked at) ran out. */
        BUDGET,
        /** The wall-clock deadline passed. */
        TIMEOUT,
        /** {@code maxCycles} cycles were found. */
        MAX_CYCLES
    }

    /**
     * The result of a bounded cycle search.
     *
     * @param cycles each cycle as its lock classes in order; the edge from the last back to the
     *     first closes it. Sorted by length, then by name
     * @param components strongly connected components with two or more lock classes
     * @param lengthBoundHit a component was larger than {@code maxLength}, so longer cycles may exist
     * @param countBoundHit the search stopped after {@code maxCycles} cycles
     * @param stoppedBy what stopped the whole search early, or null if it ran to the end
     * @param completeUpToLength every cycle of at most this many lock classes was searched for (in
     *     components not capped by {@code maxCyclesPerComponent}); {@code maxLength} when nothing stopped
     *     the search, 1 when not even two-lock cycles were all searched
     * @param componentsCapped components whose search stopped at {@code maxCyclesPerComponent}
     * @param componentsUnexplored components not searched completely (stopped early or capped)
     * @param lockClassesUnexplored lock classes in those components
     * @param edgesUnexplored edges inside those components
     * @param steps edges looked at
     * @param millis wall-clock time of the search
     * @param limits the limits the search ran with
     */
    public record CycleSearch(List<List<String>> cycles, int components, boolean lengthBoundHit, boolean countBoundHit,
                              Bound stoppedBy, int completeUpToLength, int componentsCapped, int componentsUnexplored,
                              long lockClassesUnexplored, long edgesUnexplored, long steps, long millis, CycleLimits limits) {
        public int maxLength() {
            return limits.maxLength();
        }

        public int maxCycles() {
            return limits.maxCycles();
        }

        /** True when some cycle of at most {@code maxLength} lock classes may have been missed. */
        public boolean bounded() {
            return stoppedBy != null || componentsCapped > 0;
        }
    }

    /** Stops the search from deep inside the walk. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Bound bound;

        Stop(Bound bound) {
            super(null, null, false, false);
            this.bound = bound;
        }
    }

    /** One run of the bounded search; all state lives here. */
    private final class Search {
        private final CycleLimits limits;
        private final long deadline;
        private final long start = System.nanoTime();
        private long steps;
        private long nextClock = CLOCK_EVERY;
        private final List<List<String>> found = new ArrayList<>();

        // Per search from one start vertex: component membership, backwards distance, the path.
        private final int[] componentOf;
        private final int[] distance;
        private final int[] touched;
        private final boolean[] onPath;
        private final int[] path;
        private final int[] edgeAt;
        private final int[] queue;
        private int start0;
        private int component;
        private int length;
        private int[] foundIn;

        Search(CycleLimits limits) {
            this.limits = limits;
            this.deadline = start + limits.timeoutMillis() * 1_000_000L;
            int n = names.length;
            componentOf = new int[n];
            distance = new int[n];
            touched = new int[n];
            onPath = new boolean[n];
            queue = new int[n];
            path = new int[limits.maxLength()];
            edgeAt = new int[limits.maxLength()];
            Arrays.fill(componentOf, -1);
            Arrays.fill(distance, Integer.MAX_VALUE);
        }

        CycleSearch run() {
            List<int[]> comps = components();
            for (int c = 0; c < comps.size(); c++) {
                for (int v : comps.get(c)) {
                    componentOf[v] = c;
                }
            }
            // Small components first within each length: their cycles are cheap and must not wait
            // behind a component of 10^5 lock classes.
            Integer[] order = new Integer[comps.size()];
            for (int c = 0; c < order.length; c++) {
                order[c] = c;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(comps.get(a).length, comps.get(b).length));
            boolean lengthBoundHit = comps.stream().anyMatch(c -> c.length > limits.maxLength());
            foundIn = new int[comps.size()];
            boolean[] capped = new boolean[comps.size()];
            int[] doneUpTo = new int[comps.size()]; // the longest length searched to the end, per component
            Bound stoppedBy = null;
            int completeUpTo = 1;
            try {
                for (length = 2; length <= limits.maxLength(); length++) {
                    for (int c : order) {
                        int[] members = comps.get(c);
                        if (capped[c] || members.length < length) {
                            continue;
                        }
                        component = c;
                        try {
                            for (int s : members) {
                                searchFrom(s);
                            }
                            doneUpTo[c] = length;
                        } catch (ComponentFull full) {
                            capped[c] = true;
                        }
                    }
                    completeUpTo = length;
                }
            } catch (Stop stop) {
                stoppedBy = stop.bound;
            }
            int componentsCapped = 0;
            int unexplored = 0;
            long classes = 0;
            long edges = 0;
            for (int c = 0; c < comps.size(); c++) {
                int[] members = comps.get(c);
                // A component is complete when every length it can hold was searched to the end.
                boolean complete = !capped[c] && doneUpTo[c] >= Math.min(members.length, limits.maxLength());
                if (capped[c]) {
                    componentsCapped++;
                }
                if (!complete) {
                    unexplored++;
                    classes += members.length;
                    for (int v : members) {
                        for (int k = outStart[v]; k < outStart[v + 1]; k++) {
                            if (componentOf[out[k]] == c) {
                                edges++;
                            }
                        }
                    }
                }
            }
            found.sort((a, b) -> a.size() != b.size() ? Integer.compare(a.size(), b.size())
                    : String.join("\u0000", a).compareTo(String.join("\u0000", b)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new CycleSearch(Collections.unmodifiableList(found), comps.size(), lengthBoundHit, stoppedBy == Bound.MAX_CYCLES,
                    stoppedBy, completeUpTo, componentsCapped, unexplored, classes, edges, steps, millis, limits);
        }

        private void step() {
            if (++steps > limits.budgetSteps()) {
                throw new Stop(Bound.BUDGET);
            }
            if (steps >= nextClock) {
                nextClock = steps + CLOCK_EVERY;
                if (System.nanoTime() - deadline > 0) {
                    throw new Stop(Bound.TIMEOUT);
                }
            }
        }

        /** Every cycle of exactly {@code length} lock classes whose smallest lock class is {@code s}. */
        private void searchFrom(int s) {
            start0 = s;
            int reached = backwardDistances(s, length - 1);
            try {
                // Some larger lock class of the component reaches s in time: only then walk forwards.
                if (reached > 1) {
                    walk();
                }
            } finally {
                for (int i = 0; i < reached; i++) {
                    distance[touched[i]] = Integer.MAX_VALUE;
                }
            }
        }

        /**
         * Breadth-first over predecessors of {@code s}, within its component and over larger ids
         * only, up to {@code maxDepth}; sets {@code distance[v]} (steps from v to s). Returns how
         * many vertices were reached, s included (listed in {@code touched}).
         */
        private int backwardDistances(int s, int maxDepth) {
            int head = 0;
            int tail = 0;
            int reached = 0;
            queue[tail++] = s;
            distance[s] = 0;
            touched[reached++] = s;
            while (head < tail) {
                int v = queue[head++];
                int d = distance[v];
                if (d >= maxDepth) {
                    continue;
                }
                for (int k = inStart[v]; k < inStart[v + 1]; k++) {
                    step();
                    int u = in[k];
                    if (u > s && componentOf[u] == component && distance[u] == Integer.MAX_VALUE) {
                        distance[u] = d + 1;
                        touched[reached++] = u;
                        queue[tail++] = u;
                    }
                }
            }
            return reached;
        }

        /**
         * Depth-first over simple paths s -> ... of exactly {@code length} lock classes that return
         * to s. A lock class w is entered only if it reaches s in the edges left, so the last lock
         * class of a path always has its edge back to s: the cycle is recorded without looking.
         */
        private void walk() {
            int s = start0;
            int depth = 0;
            path[0] = s;
            edgeAt[0] = outStart[s];
            onPath[s] = true;
            try {
                while (depth >= 0) {
                    int v = path[depth];
                    if (edgeAt[depth] >= outStart[v + 1]) {
                        onPath[v] = false;
                        depth--;
                        continue;
                    }
                    int w = out[edgeAt[depth]++];
                    step();
                    // w <= s: s is the smallest lock class of the cycles searched from it
                    if (w <= s || onPath[w] || distance[w] > length - 1 - depth) {
                        continue;
                    }
                    if (depth + 1 == length - 1) {
                        path[depth + 1] = w;
                        record(depth + 1);
                        continue;
                    }
                    depth++;
                    path[depth] = w;
                    edgeAt[depth] = outStart[w];
                    onPath[w] = true;
                }
            } finally {
                for (int i = 0; i < length; i++) {
                    onPath[path[i]] = false;
                }
            }
        }

        private void record(int last) {
            if (found.size() >= limits.maxCycles()) {
                throw new Stop(Bound.MAX_CYCLES); // a cycle beyond the limit exists
            }
            if (foundIn[component] >= limits.maxCyclesPerComponent()) {
                throw new ComponentFull();
            }
            foundIn[component]++;
            String[] cycle = new String[last + 1];
            for (int i = 0; i <= last; i++) {
                cycle[i] = names[path[i]];
            }
            found.add(List.of(cycle));
        }
    }

    /** The current component reached {@code maxCyclesPerComponent}. */
    private static final class ComponentFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ComponentFull() {
            super(null, null, false, false);
        }
    }
}
