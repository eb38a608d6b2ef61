package io.lockdep4j.analyzers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.LockOrderCycleRule;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.Rules;
import io.lockdep4j.analyzers.model.ModelBuilder;
import io.lockdep4j.analyzers.model.RecordingSummary;
import io.lockdep4j.analyzers.read.RecordingReader;
import io.lockdep4j.analyzers.report.TextReport;
import io.lockdep4j.analyzers.testing.Emit;
import io.lockdep4j.analyzers.testing.Jfr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitTest {
    @Test
    void otherHeldParsing() {
        assertEquals(List.of(), HeldLock.parseAll(""));
        assertEquals(List.of(new HeldLock("a.B.lock", "write", 42), new HeldLock("c.D", "read", -7)),
                HeldLock.parseAll("a.B.lock(write)#42;c.D(read)#-7"));
        // Class names with ';' and '(' (arrays, allocation sites) still split at entry boundaries.
        assertEquals(List.of(new HeldLock("[Ljava.lang.Object;", "write", 1), new HeldLock("new Foo(Foo.java:3)", "read", 2)),
                HeldLock.parseAll("[Ljava.lang.Object;(write)#1;new Foo(Foo.java:3)(read)#2"));
    }

    @Test
    void findingKeyIsRuleAndSortedLocks() {
        assertEquals("lock-order-cycle:a+b+c", Finding.keyOf("lock-order-cycle", List.of("c", "a", "b")));
    }

    @Test
    void rulesAreLoadedFromServices() {
        List<Rule> rules = Rules.load();
        assertTrue(rules.stream().anyMatch(r -> r instanceof LockOrderCycleRule), rules.toString());
        assertEquals(LockOrderCycleRule.ID, new LockOrderCycleRule().id());
    }

    @Test
    void platformFramesAreNotTheSite() {
        assertEquals("com.acme.X.y(X.java:3)",
                Frames.site(List.of("java.util.Hashtable.put(Hashtable.java:1)", "com.acme.X.y(X.java:3)")));
        assertTrue(Frames.isPlatformFrame("jdk.internal.misc.Unsafe.park(Unsafe.java)"));
    }

    /** JFR's own jdk.DataLoss (its buffers were full) makes a recording incomplete, in one warning line. */
    @Test
    void jfrDataLossMakesTheRecordingIncomplete(@TempDir Path tmp) throws Exception {
        Path rec = Jfr.record(tmp.resolve("r.jfr"), () -> Jfr.onThread("t", () -> com.acme.app.App.nested(Emit.edge("X", "Y"))));
        ModelBuilder complete = new ModelBuilder();
        new RecordingReader(null).read(List.of(rec), complete);
        AnalysisResult clean = Analyzer.withDefaults().analyze(complete.build());
        assertTrue(!clean.model().incomplete() && clean.warnings().isEmpty(), clean.warnings().toString());

        ModelBuilder lossy = new ModelBuilder();
        new RecordingReader(null).read(List.of(rec), lossy);
        lossy.jfrDataLoss(0, 4000); // what the reader passes on for each jdk.DataLoss event
        lossy.jfrDataLoss(0, 96);
        AnalysisResult r = Analyzer.withDefaults().analyze(lossy.build());
        RecordingSummary s = r.model().recordings().get(0);
        assertEquals(List.of("jfrDataLossBytes=4096"), s.incompleteReasons());
        assertTrue(s.incomplete() && s.agentLossReasons().isEmpty());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("INCOMPLETE: JFR lost 4,096 bytes of events (2 jdk.DataLoss events"), r.warnings().get(0));
        assertTrue(TextReport.summary(r).contains("INCOMPLETE"), TextReport.summary(r));
    }
}
