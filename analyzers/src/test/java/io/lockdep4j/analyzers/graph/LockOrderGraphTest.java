package io.lockdep4j.analyzers.graph;

import static io.lockdep4j.analyzers.graph.GraphShapes.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.analyzers.graph.LockOrderGraph.Bound;
import io.lockdep4j.analyzers.graph.LockOrderGraph.CycleLimits;
import io.lockdep4j.analyzers.graph.LockOrderGraph.CycleSearch;
import io.lockdep4j.analyzers.rules.LockOrderCycleRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.HawickJamesSimpleCycles;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded cycle search: the same cycles as a full enumeration on small graphs, and on graphs
 * of 10^5 lock classes and 10^6 edges in the shapes that hurt, it ends, finds a planted cycle,
 * and says which bound stopped it. The timeouts are hang guards only.
 */
class LockOrderGraphTest {
    static final int N = 100_000;
    static final int M = 1_000_000;
    /** No bound but the length: for checking what a complete search finds. */
    static final CycleLimits UNBOUNDED = new CycleLimits(6, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE / 2_000_000);

    static CycleLimits limits(int maxLength, int maxCycles, int perComponent, long budget, long timeoutMillis) {
        return new CycleLimits(maxLength, maxCycles, perComponent, budget, timeoutMillis);
    }

    static List<String> cycle(int... ids) {
        List<String> c = new ArrayList<>();
        for (int id : ids) {
            c.add(name(id));
        }
        return c;
    }

    @Test
    void findsTheSameCyclesAsHawickJamesOnRandomSmallGraphs() {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 2 + r.nextInt(8);
            int maxLength = 2 + r.nextInt(6);
            double density = 0.1 + r.nextDouble() * 0.6;
            GraphShapes.Edges edges = new GraphShapes.Edges(n);
            Graph<String, DefaultEdge> reference = new DefaultDirectedGraph<>(DefaultEdge.class);
            for (int i = 0; i < n; i++) {
                reference.addVertex(name(i));
            }
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a != b && r.nextDouble() < density) {
                        edges.add(a, b);
                        reference.addEdge(name(a), name(b));
                    }
                }
            }
            HawickJamesSimpleCycles<String, DefaultEdge> hj = new HawickJamesSimpleCycles<>(reference);
            hj.setPathLimit(maxLength);
            Set<List<String>> expected = new TreeSet<>(LockOrderGraphTest::compare);
            hj.findSimpleCycles(c -> expected.add(LockOrderGraph.canonical(c)));

            CycleSearch s = edges.graph().cycles(new CycleLimits(maxLength, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
                    UNBOUNDED.timeoutMillis()));
            assertEquals(new ArrayList<>(expected), s.cycles(), "round " + round + ": n=" + n + " maxLength=" + maxLength);
            assertFalse(s.bounded());
            assertEquals(maxLength, s.completeUpToLength());
        }
    }

    static int compare(List<String> a, List<String> b) {
        return a.size() != b.size() ? Integer.compare(a.size(), b.size())
                : String.join("\u0000", a).compareTo(String.join("\u0000", b));
    }

    @Test
    void shortestCyclesComeFirstAndEachOnceFromItsSmallestLockClass() {
        // A -> B -> C -> A and B -> A: the two-lock cycle is found too, both printed from A.
        GraphShapes.Edges e = new GraphShapes.Edges(3).add(0, 1).add(1, 2).add(2, 0).add(1, 0);
        CycleSearch s = e.graph().cycles(CycleLimits.defaults());
        assertEquals(List.of(cycle(0, 1), cycle(0, 1, 2)), s.cycles());
        assertEquals(1, s.components());
    }

    @Test
    @Timeout(120)
    void giantComponentFindsAPlantedTwoLockCycleAmongManyCycles() {
        int a = 12_345;
        int b = 67_890;
        GraphShapes.Edges e = GraphShapes.giantComponent(N, M, 42).add(a, b).add(b, a);
        CycleSearch s = e.graph().cycles(CycleLimits.defaults());
        assertEquals(1, s.components());
        assertTrue(s.cycles().contains(cycle(a, b)), "the planted cycle is among " + s.cycles().size());
        // ~50 two-lock and ~330 three-lock cycles by chance: the per-component cap stops it, and says so.
        assertEquals(CycleLimits.DEFAULT_MAX_CYCLES_PER_COMPONENT, s.cycles().size());
        assertEquals(1, s.componentsCapped());
        assertTrue(s.bounded());
        assertEquals(1, s.componentsUnexplored());
        assertEquals(N, s.lockClassesUnexplored(), "the whole component is left partly unexplored");
        List<String> messages = LockOrderCycleRule.boundMessages(s);
        assertEquals(1, messages.size(), messages::toString);
        assertTrue(messages.get(0).contains("1 strongly connected component had more than 100 cycles"), messages.get(0));
        assertTrue(messages.get(0).contains("--max-cycles-per-component"), messages.get(0));
        assertTrue(s.cycles().stream().allMatch(c -> c.size() <= 3), "shortest first");
    }

    @Test
    @Timeout(120)
    void ringWithChordsEndsWithoutExploringItsShortPaths() {
        // 10^5 lock classes, each with edges to the next 10: no cycle shorter than 10^4, 10^10 short
        // paths. One back edge plants p -> p+2 -> p and p -> p+1 -> p+2 -> p (and longer ones).
        int p = 50_000;
        GraphShapes.Edges e = GraphShapes.ringWithChords(N, 10).add(p + 2, p);
        CycleSearch s = e.graph().cycles(CycleLimits.defaults());
        assertNull(s.stoppedBy(), "not stopped by a bound");
        assertEquals(6, s.completeUpToLength());
        assertTrue(s.cycles().contains(cycle(p, p + 2)), s.cycles()::toString);
        assertTrue(s.cycles().contains(cycle(p, p + 1, p + 2)), s.cycles()::toString);
        assertTrue(s.lengthBoundHit(), "the ring itself is a longer cycle, not searched");
        assertTrue(s.steps() < 50L * M, "a few edges per lock class, not the paths: " + s.steps());
    }

    @Test
    @Timeout(120)
    void workBudgetStopsTheSearchAndTheResultSaysWhatWasLeft() {
        GraphShapes.Edges e = GraphShapes.giantComponent(N, M, 42);
        CycleSearch s = e.graph().cycles(limits(6, 1000, 1000, 3_000_000, 600_000));
        assertEquals(Bound.BUDGET, s.stoppedBy());
        assertTrue(s.bounded());
        assertTrue(s.completeUpToLength() >= 2 && s.completeUpToLength() < 6, "complete up to " + s.completeUpToLength());
        assertEquals(1, s.componentsUnexplored());
        assertEquals(N, s.lockClassesUnexplored());
        assertEquals(M, s.edgesUnexplored());
        assertEquals(3_000_001, s.steps(), "stops at the step that exceeds the budget");
        String message = LockOrderCycleRule.boundMessages(s).get(0);
        assertTrue(message.startsWith("the cycle search stopped at its work budget of 3,000,000 steps"), message);
        assertTrue(message.contains("cycles of up to " + s.completeUpToLength() + " lock classes were searched completely"), message);
        assertTrue(message.contains("1 of 1 strongly connected components (100,000 lock classes, 1,000,000 edges) was left partly unexplored"),
                message);
        assertTrue(message.endsWith("raise --cycle-budget (or lower --max-cycle-length) to search further"), message);
        // The same budget gives the same result: the budget, unlike the clock, is deterministic.
        assertEquals(s.cycles(), e.graph().cycles(limits(6, 1000, 1000, 3_000_000, 600_000)).cycles());
    }

    @Test
    @Timeout(120)
    void deadlineStopsTheSearch() {
        // No other bound can stop it, and the complete search takes far more than a millisecond.
        CycleSearch s = GraphShapes.giantComponent(N, M, 42).graph()
                .cycles(limits(6, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, 1));
        assertEquals(Bound.TIMEOUT, s.stoppedBy());
        String message = LockOrderCycleRule.boundMessages(s).get(0);
        assertTrue(message.startsWith("the cycle search stopped at its time limit of 0.001 s after"), message);
        assertTrue(message.endsWith("raise --cycle-timeout to search further"), message);
    }

    @Test
    @Timeout(120)
    void manySmallComponentsStopAtMaxCycles() {
        GraphShapes.Edges e = GraphShapes.manySmallComponents(N, M, 42);
        CycleSearch s = e.graph().cycles(CycleLimits.defaults());
        assertEquals(N / 3, s.components());
        assertEquals(Bound.MAX_CYCLES, s.stoppedBy());
        assertTrue(s.countBoundHit());
        assertEquals(1000, s.cycles().size());
        assertEquals(cycle(0, 1, 2), s.cycles().get(0), "small components in name order");
        assertEquals(N / 3 - 1000, s.componentsUnexplored());
        String message = LockOrderCycleRule.boundMessages(s).get(0);
        assertTrue(message.startsWith("the cycle search stopped after 1,000 cycles, and more exist"), message);
        assertTrue(message.endsWith("raise --max-cycles to see more"), message);
    }

    @Test
    @Timeout(120)
    void plantedCycleInADagIsTheOnlyOne() {
        GraphShapes.Edges e = GraphShapes.dag(N, M, 42);
        CycleSearch clean = e.graph().cycles(CycleLimits.defaults());
        assertEquals(0, clean.components());
        assertEquals(List.of(), clean.cycles());
        assertFalse(clean.bounded());
        assertEquals(0, clean.steps());
        assertEquals(List.of(), LockOrderCycleRule.boundMessages(clean));
        CycleSearch planted = e.add(0, 99_999).add(99_999, 0).graph().cycles(CycleLimits.defaults());
        // 99_999 -> 0 closes every path from 0 to 99_999 (a DAG has no other cycle); the shortest first.
        assertEquals(cycle(0, 99_999), planted.cycles().get(0));
        assertTrue(planted.cycles().stream().allMatch(c -> c.get(0).equals(name(0)) && c.contains(name(99_999))),
                planted.cycles()::toString);
    }

    @Test
    void perComponentCapLeavesRoomForOtherComponents() {
        // Lock classes 0..11 all ordered both ways (thousands of cycles), and 12 <-> 13 apart.
        GraphShapes.Edges e = new GraphShapes.Edges(14);
        for (int a = 0; a < 12; a++) {
            for (int b = 0; b < 12; b++) {
                if (a != b) {
                    e.add(a, b);
                }
            }
        }
        e.add(12, 13).add(13, 12);
        CycleSearch s = e.graph().cycles(limits(6, 50, 10, Long.MAX_VALUE, 600_000));
        assertEquals(11, s.cycles().size());
        assertTrue(s.cycles().contains(cycle(12, 13)));
        assertEquals(1, s.componentsCapped());
        assertNull(s.stoppedBy());
        assertTrue(s.bounded());
    }
}
