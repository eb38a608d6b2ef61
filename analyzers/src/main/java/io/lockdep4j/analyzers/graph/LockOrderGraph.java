package io.lockdep4j.analyzers.graph;

import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.cycle.HawickJamesSimpleCycles;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * The lock-order graph: a JGraphT directed graph whose vertices are lock classes and whose edges
 * are the model's {@link LockEdge}s ("holding from, acquired to").
 *
 * <p>Cycle search first splits the graph into strongly connected components (only a component
 * with two or more lock classes can hold a cycle), then enumerates simple cycles in each with
 * Hawick-James, bounded in length and number: real lock graphs are small, but a pathological one
 * can have exponentially many cycles, and a bounded report that says so beats a hung analyzer.
 *
 * <pre>{@code
 * LockOrderGraph g = LockOrderGraph.of(model, edge -> !edge.blockingObservations().isEmpty());
 * LockOrderGraph.CycleSearch s = g.cycles(6, 1000);
 * s.cycles().forEach(c -> System.out.println(String.join(" -> ", c)));
 * }</pre>
 */
public final class LockOrderGraph {
    private final Graph<String, LockEdge> graph;

    private LockOrderGraph(Graph<String, LockEdge> graph) {
        this.graph = graph;
    }

    /**
     * The graph of the model's edges that pass {@code include}. Self-edges (two instances of one
     * lock class nested) are never added: they are not lock-order cycles between classes.
     */
    public static LockOrderGraph of(LockModel model, Predicate<LockEdge> include) {
        Graph<String, LockEdge> g = new DefaultDirectedGraph<>(null, null, false);
        // Sorted insertion makes the cycle enumeration order, and so reports, deterministic.
        for (String v : new TreeSet<>(model.lockClasses())) {
            g.addVertex(v);
        }
        for (LockEdge e : model.edges()) {
            if (!e.isSelfEdge() && include.test(e)) {
                g.addEdge(e.from(), e.to(), e);
            }
        }
        return new LockOrderGraph(g);
    }

    public Graph<String, LockEdge> graph() {
        return graph;
    }

    /** Strongly connected components with at least two lock classes, each sorted. */
    public List<Set<String>> nonTrivialComponents() {
        List<Set<String>> out = new ArrayList<>();
        for (Set<String> scc : new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets()) {
            if (scc.size() > 1) {
                out.add(new TreeSet<>(scc));
            }
        }
        out.sort((a, b) -> a.iterator().next().compareTo(b.iterator().next()));
        return out;
    }

    /**
     * Simple cycles of at most {@code maxLength} lock classes, at most {@code maxCycles} of them,
     * each rotated to start at its smallest lock class.
     */
    public CycleSearch cycles(int maxLength, int maxCycles) {
        List<List<String>> cycles = new ArrayList<>();
        List<Set<String>> components = nonTrivialComponents();
        boolean lengthBoundHit = false;
        boolean countBoundHit = false;
        for (Set<String> scc : components) {
            if (scc.size() > maxLength) {
                lengthBoundHit = true; // a cycle through all of them may exist and is not searched
            }
            if (countBoundHit) {
                continue;
            }
            HawickJamesSimpleCycles<String, LockEdge> finder = new HawickJamesSimpleCycles<>(new AsSubgraph<>(graph, scc));
            finder.setPathLimit(maxLength);
            try {
                finder.findSimpleCycles(c -> {
                    if (cycles.size() >= maxCycles) {
                        throw new StopSearch();
                    }
                    cycles.add(canonical(c));
                });
            } catch (StopSearch stop) {
                countBoundHit = true;
            }
        }
        cycles.sort((a, b) -> a.size() != b.size() ? Integer.compare(a.size(), b.size()) : String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        return new CycleSearch(Collections.unmodifiableList(cycles), components.size(), lengthBoundHit, countBoundHit,
                maxLength, maxCycles);
    }

    /** The same cycle always prints the same way: rotated so it starts at its smallest class. */
    static List<String> canonical(List<String> cycle) {
        int min = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).compareTo(cycle.get(min)) < 0) {
                min = i;
            }
        }
        List<String> out = new ArrayList<>(cycle.size());
        for (int i = 0; i < cycle.size(); i++) {
            out.add(cycle.get((min + i) % cycle.size()));
        }
        return List.copyOf(out);
    }

    /**
     * The result of a bounded cycle search.
     *
     * @param cycles each cycle as its lock classes in order; the edge from the last back to the
     *     first closes it
     * @param components strongly connected components with two or more lock classes
     * @param lengthBoundHit a component was larger than {@code maxLength}, so longer cycles may exist
     * @param countBoundHit the search stopped after {@code maxCycles} cycles
     */
    public record CycleSearch(List<List<String>> cycles, int components, boolean lengthBoundHit, boolean countBoundHit,
                              int maxLength, int maxCycles) {
    }

    private static final class StopSearch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopSearch() {
            super(null, null, false, false);
        }
    }
}
