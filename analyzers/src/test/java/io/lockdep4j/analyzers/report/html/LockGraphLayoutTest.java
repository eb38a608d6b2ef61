package io.lockdep4j.analyzers.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ELK layout on graphs of the sizes the report draws: the demo's (about 20 lock classes) and
 * the most it draws (300, {@code HtmlReport.MAX_DRAWN_LOCKS}). No two boxes overlap, every arrow
 * runs from its source box to its target box, and the time stays small (printed).
 */
class LockGraphLayoutTest {
    record Graph(List<LockGraphLayout.Box> boxes, List<LockGraphLayout.Arrow> arrows) {}

    static Graph random(int n, int edges, long seed) {
        Random r = new Random(seed);
        List<LockGraphLayout.Box> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boxes.add(new LockGraphLayout.Box(LockGraphSvg.labelWidth("Lock" + "x".repeat(r.nextInt(40))), 26));
        }
        List<LockGraphLayout.Arrow> arrows = new ArrayList<>();
        for (int k = 0; k < edges; k++) {
            int a = r.nextInt(n);
            int b = r.nextInt(n);
            if (a != b) {
                arrows.add(new LockGraphLayout.Arrow(a, b)); // cycles included: a random graph has many
            }
        }
        return new Graph(boxes, arrows);
    }

    @Test
    void boxesNeverOverlapAndArrowsJoinTheirBoxes() {
        for (int n : new int[] {2, 21, 300}) {
            Graph g = random(n, n * 2, n);
            long t0 = System.nanoTime();
            LockGraphLayout.Result r = LockGraphLayout.layout(g.boxes(), g.arrows(), 56);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("ELK layered layout: %d lock classes, %d edges: %d ms (%.0f x %.0f px)%n", n, g.arrows().size(), ms,
                    r.width(), r.height());
            assertEquals(n, r.boxes().size());
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    assertTrue(!overlap(r.boxes().get(i), r.boxes().get(j)), "boxes " + i + " and " + j + " overlap");
                }
            }
            for (int k = 0; k < g.arrows().size(); k++) {
                double[] p = r.routes().get(k);
                assertTrue(p.length >= 4, "arrow " + k + " has a route");
                assertTrue(onBorder(r.boxes().get(g.arrows().get(k).from()), p[0], p[1]), "arrow " + k + " starts at its source");
                assertTrue(onBorder(r.boxes().get(g.arrows().get(k).to()), p[p.length - 2], p[p.length - 1]), "arrow " + k + " ends at its target");
            }
            assertTrue(ms < 30_000, n + " lock classes took " + ms + " ms");
        }
    }

    static boolean overlap(LockGraphLayout.Placed a, LockGraphLayout.Placed b) {
        return a.x() < b.x() + b.width() && b.x() < a.x() + a.width() && a.y() < b.y() + b.height() && b.y() < a.y() + a.height();
    }

    static boolean onBorder(LockGraphLayout.Placed b, double x, double y) {
        double e = 1.0;
        return x >= b.x() - e && x <= b.x() + b.width() + e && y >= b.y() - e && y <= b.y() + b.height() + e;
    }
}
