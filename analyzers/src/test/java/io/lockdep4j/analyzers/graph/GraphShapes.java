package io.lockdep4j.analyzers.graph;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.SyntheticModel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Lock-order graphs in the shapes that hurt a cycle search, at any size, as plain edge lists: a
 * graph of 10^6 edges costs two int arrays, so the search itself can be tested at full size, and
 * {@link Edges#model()} turns a (smaller) one into a {@link LockModel} for the rules and reports.
 * Lock classes are named {@code com.acme.L0000042} (zero-padded, so name order is index order).
 * Random shapes use a fixed seed: the same call builds the same graph.
 */
public final class GraphShapes {
    private GraphShapes() {}

    public static String name(int i) {
        String digits = Integer.toString(i);
        return "com.acme.L" + "0000000".substring(Math.min(7, digits.length())) + digits;
    }

    /** Edges {@code from[k] -> to[k]} between lock classes {@code 0..n-1}, without duplicates. */
    public static final class Edges {
        final int n;
        private int[] from = new int[16];
        private int[] to = new int[16];
        private int size;
        private final Set<Long> seen = new HashSet<>();

        Edges(int n) {
            this.n = n;
        }

        /** Adds {@code a -> b} unless present; returns this. */
        public Edges add(int a, int b) {
            if (seen.add((long) a * n + b)) {
                if (size == from.length) {
                    from = Arrays.copyOf(from, size * 2);
                    to = Arrays.copyOf(to, size * 2);
                }
                from[size] = a;
                to[size++] = b;
            }
            return this;
        }

        public int size() {
            return size;
        }

        public LockOrderGraph graph() {
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = name(i);
            }
            return LockOrderGraph.of(names, Arrays.copyOf(from, size), Arrays.copyOf(to, size));
        }

        /** The same graph as a model: one exclusive observation per edge, no stacks. */
        public LockModel model() {
            SyntheticModel s = new SyntheticModel();
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = name(i);
            }
            for (int k = 0; k < size; k++) {
                s.edge(names[from[k]], names[to[k]]);
            }
            return s.build();
        }
    }

    /**
     * One strongly connected component: a ring through all {@code n} classes (so everything is
     * reachable from everything) plus random edges up to {@code m} in all. Has short cycles by
     * chance: about m^2 / 2n^2 of two lock classes and m^3 / 3n^3 of three.
     */
    public static Edges giantComponent(int n, int m, long seed) {
        Edges g = new Edges(n);
        for (int i = 0; i < n; i++) {
            g.add(i, (i + 1) % n);
        }
        Random r = new Random(seed);
        while (g.size() < m) {
            int a = r.nextInt(n);
            int b = r.nextInt(n);
            if (a != b) {
                g.add(a, b);
            }
        }
        return g;
    }

    /**
     * One strongly connected component without any short cycle: every class i has edges to the
     * next {@code chords} classes around a ring of {@code n}, so every cycle goes all the way round
     * (at least n / chords classes) while the number of short paths explodes: the worst case of a
     * length-bounded enumeration (JGraphT's Hawick-James did not finish in 60 s at 10^5 / 10^6).
     */
    public static Edges ringWithChords(int n, int chords) {
        Edges g = new Edges(n);
        for (int i = 0; i < n; i++) {
            for (int k = 1; k <= chords; k++) {
                g.add(i, (i + k) % n);
            }
        }
        return g;
    }

    /**
     * {@code n / 3} separate three-class cycles, joined by random forward edges (from a lower
     * triangle to a higher one, so no larger component forms) up to {@code m} edges in all.
     */
    public static Edges manySmallComponents(int n, int m, long seed) {
        Edges g = new Edges(n);
        int triangles = n / 3;
        for (int t = 0; t < triangles; t++) {
            g.add(3 * t, 3 * t + 1).add(3 * t + 1, 3 * t + 2).add(3 * t + 2, 3 * t);
        }
        Random r = new Random(seed);
        while (g.size() < m) {
            int a = r.nextInt(triangles);
            int b = r.nextInt(triangles);
            if (a < b) {
                g.add(3 * a + r.nextInt(3), 3 * b + r.nextInt(3));
            }
        }
        return g;
    }

    /** A random DAG: every edge goes from a lower to a higher index, so there is no cycle at all. */
    public static Edges dag(int n, int m, long seed) {
        Edges g = new Edges(n);
        Random r = new Random(seed);
        while (g.size() < m) {
            int a = r.nextInt(n);
            int b = r.nextInt(n);
            if (a < b) {
                g.add(a, b);
            }
        }
        return g;
    }
}
