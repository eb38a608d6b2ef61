package io.lockdep4j.analyzers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.events.LockGraphSummaryEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lockdep4j.LockGraphSummary completes the graph with the edges whose events are missing, and only those. */
class GraphSummaryTest {
    @TempDir
    Path tmp;

    static void edgeEvent(String held, String acquired, long heldChain, long acquiredChain) {
        LockOrderEdgeEvent e = new LockOrderEdgeEvent();
        e.heldLock = held;
        e.heldMode = "write";
        e.heldKind = "monitor";
        e.acquiredLock = acquired;
        e.acquiredMode = "write";
        e.acquiredKind = "monitor";
        e.heldChainId = heldChain;
        e.acquiredChainId = acquiredChain;
        e.otherHeld = "";
        e.commit();
    }

    /** Generation 1 names X (id 1), Y (id 2) and G (id 3) and has X -> Y (its event exists) and Y -> X (lost), the latter under gate G. */
    static void summary(int parts) {
        LockGraphSummaryEvent s = new LockGraphSummaryEvent();
        s.generation = 1;
        s.part = 0;
        s.parts = parts;
        s.edgeCount = 2;
        s.locks = "1\tmonitor\tX\n2\tmonitor\tY\n3\tmonitor\tG\n";
        s.threads = "0\t42\tworker one\n";
        s.edges = "1\tw\t2\tw\t-\t" + Long.toString(11, 36) + "\t" + Long.toString(12, 36) + "\t5\t6\t0\t\n"
                + "2\tw\t1\tw\tm\t" + Long.toString(13, 36) + "\t" + Long.toString(-14, 36) + "\t6\t5\t0\t3:w:" + Integer.toString(99, 36) + "\n";
        s.commit();
    }

    Path record(Runnable body) throws Exception {
        Path f = tmp.resolve("r" + System.nanoTime() + ".jfr");
        try (Recording r = new Recording()) {
            r.enable(LockOrderEdgeEvent.class).withStackTrace();
            r.enable(LockGraphSummaryEvent.class);
            r.start();
            body.run();
            r.stop();
            r.dump(f);
        }
        return f;
    }

    @Test
    void aLostEdgeComesBackFromTheSummaryMarkedAndTheOtherIsNotDuplicated() throws Exception {
        Path rec = record(() -> {
            edgeEvent("X", "Y", 11, 12);
            summary(1);
        });
        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(rec));
        LockModel m = r.model();
        List<EdgeObservation> xy = m.edge("X", "Y").orElseThrow().observations();
        assertEquals(1, xy.size(), xy.toString());
        assertFalse(xy.get(0).fromSummary());
        List<EdgeObservation> yx = m.edge("Y", "X").orElseThrow().observations();
        assertTrue(yx.stream().allMatch(EdgeObservation::fromSummary), yx.toString());
        assertTrue(yx.stream().anyMatch(o -> o.thread().javaThreadId() == 42 && o.thread().name().equals("worker one")
                && o.otherHeld().get(0).lockClass().equals("G") && o.otherHeld().get(0).instance() == 99
                && o.acquiredChainId() == -14), yx.toString());
        assertTrue(yx.stream().anyMatch(EdgeObservation::anotherThread), "the summary says a second thread took it");
        assertEquals(1, m.recordings().get(0).summaryOnlyEdges());
        assertTrue(m.recordings().get(0).summaryComplete());

        Finding f = r.findings().get(0);
        assertEquals(1L, ((Number) f.details().get("summaryEvidenceEdges")).longValue(), f.details().toString());
        assertTrue(f.explanation().contains("summary evidence"), f.explanation());
    }

    @Test
    void aSummaryWithAMissingPartIsNotWhole() throws Exception {
        Path rec = record(() -> summary(2));
        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(rec));
        assertFalse(r.model().recordings().get(0).summaryComplete());
        assertEquals(2, r.model().recordings().get(0).summaryOnlyEdges());
    }
}
