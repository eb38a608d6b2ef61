package io.lockdep4j.analyzers;

import static io.lockdep4j.analyzers.testing.Emit.edge;
import static io.lockdep4j.analyzers.testing.Jfr.cli;
import static io.lockdep4j.analyzers.testing.Jfr.onThread;
import static io.lockdep4j.analyzers.testing.Jfr.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.app.App;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockdep4j.analyzers.testing.Emit;
import io.lockdep4j.analyzers.testing.Jfr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock-order-cycle rule end to end: synthetic events → .jfr → CLI → JSON. */
class LockOrderCycleRuleTest {
    // Shorter than 16 characters on purpose: JDK 17's JFR string pool loses strings of 16-128
    // characters that an earlier recording of the same JVM used, and every test makes a recording.
    // (The analyzer's handling of those lost strings is tested in eventsWithoutLockClassAreWarned.)
    static final String A = "NfsCache.lru";
    static final String B = "OpenFileCtx.mon";
    static final String C = "WriteCtx.lock";
    static final String D = "Journal.lock";

    @TempDir
    Path tmp;

    private JsonNode json(Path... recordings) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json"));
        for (Path p : recordings) {
            args.add(p.toString());
        }
        Jfr.Run run = cli(args.toArray(String[]::new));
        assertTrue(run.code() == 0 || run.code() == 1, () -> "exit " + run.code() + ": " + run.err());
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertEquals(root.path("findings").size() > 0 ? 1 : 0, run.code(), "exit code follows findings");
        return root;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static boolean anyContains(JsonNode array, String s) {
        return strings(array).stream().anyMatch(f -> f.contains(s));
    }

    @Test
    void twoLockInversionAcrossTwoThreadsIsOneCycleWithBothStacks() throws Exception {
        Path rec = record(tmp.resolve("inv.jfr"), () -> {
            onThread("worker-1", () -> App.nested(edge(A, B)));
            onThread("worker-2", () -> App.nested(edge(B, A)));
        });
        JsonNode root = json(rec);
        JsonNode findings = root.get("findings");
        assertEquals(1, findings.size(), root::toPrettyString);
        JsonNode f = findings.get(0);
        assertEquals("lock-order-cycle", f.get("rule").asText());
        assertEquals("error", f.get("severity").asText());
        assertEquals(List.of(A, B), strings(f.get("locks")));
        assertEquals("lock-order-cycle:" + A + "+" + B, f.get("key").asText());
        assertFalse(f.get("singleThread").asBoolean());
        JsonNode edges = f.get("edges");
        assertEquals(2, edges.size());
        assertEquals(A, edges.get(0).get("from").asText());
        assertEquals(B, edges.get(0).get("to").asText());
        assertEquals("worker-1", edges.get(0).get("thread").get("name").asText());
        assertEquals("worker-2", edges.get(1).get("thread").get("name").asText());
        for (JsonNode e : edges) {
            assertTrue(e.get("heldStackRecorded").asBoolean());
            // Held stack: where the first lock was taken (App.nested); acquire stack: App.inner.
            assertTrue(e.get("heldStack").get(0).asText().startsWith("com.acme.app.App.nested(App.java:"), e::toPrettyString);
            assertTrue(e.get("acquireStack").get(0).asText().startsWith("com.acme.app.App.inner(App.java:"), e::toPrettyString);
            assertFalse(anyContains(e.get("acquireStack"), "io.lockdep4j."), "agent frames are trimmed");
        }

        Jfr.Run text = cli("analyze", rec.toString());
        assertEquals(1, text.code());
        assertTrue(text.out().contains("possible circular locking dependency detected: " + A + " -> " + B + " -> " + A));
        assertTrue(text.out().contains("Possible unsafe locking scenario"));
        assertTrue(text.out().contains("Thread 1: lock(" + A + ")"));
        assertTrue(text.out().contains("Thread 2: lock(" + A + ")   <- waits: Thread 1 holds " + A));
        assertTrue(text.out().contains("*** DEADLOCK ***"));
        assertTrue(text.out().strip().lines().reduce((a, b) -> b).orElse("").startsWith("Summary: 1 finding (1 error)"));
        assertEquals("", text.err(), "no progress chatter for small inputs");
    }

    @Test
    void threeLockCycle() throws Exception {
        Path rec = record(tmp.resolve("three.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B)));
            onThread("t2", () -> App.nested(edge(B, C)));
            onThread("t3", () -> App.nested(edge(C, A)));
        });
        JsonNode f = json(rec).get("findings");
        assertEquals(1, f.size());
        assertEquals(List.of(A, B, C), strings(f.get(0).get("locks")));
        assertEquals(3, f.get(0).get("edges").size());
        assertTrue(anyContains(f.get(0).get("scenario"), "Thread 3: lock(" + A + ")   <- waits: Thread 1 holds " + A));
    }

    @Test
    void readOnlyCycleOnLocksNobodyWriteLocksIsNotReported() throws Exception {
        Path rec = record(tmp.resolve("ro.jfr"), () -> {
            onThread("r1", () -> App.nested(edge(A, B).modes("read", "read")));
            onThread("r2", () -> App.nested(edge(B, A).modes("read", "read")));
        });
        JsonNode root = json(rec);
        assertEquals(0, root.get("findings").size());
        assertEquals(1, root.at("/summary/rules/lock-order-cycle/cyclesDroppedReadOnly").asLong());
    }

    @Test
    void readReadLockIsMadeBlockingByAWriterWhoIsNamed() throws Exception {
        // A is exclusive on the B->A side; B is read on both sides: only a writer of B closes the cycle.
        Path without = record(tmp.resolve("nowriter.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B).modes("write", "read")));
            onThread("t2", () -> App.nested(edge(B, A).modes("read", "write")));
        });
        assertEquals(0, json(without).get("findings").size());

        Path with = record(tmp.resolve("writer.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B).modes("write", "read")));
            onThread("t2", () -> App.nested(edge(B, A).modes("read", "write")));
            onThread("flusher", () -> App.writeLock(B));
        });
        JsonNode f = json(with).get("findings");
        assertEquals(1, f.size());
        JsonNode writers = f.get(0).get("writers");
        assertEquals(1, writers.size(), f::toPrettyString);
        assertEquals(B, writers.get(0).get("lock").asText());
        assertEquals("flusher", writers.get(0).get("thread").get("name").asText());
        assertTrue(writers.get(0).get("stack").get(0).asText().startsWith("com.acme.app.App.writeLock("));
        assertTrue(f.get(0).get("explanation").asText().contains("made blocking by writers"));
        assertTrue(anyContains(f.get(0).get("scenario"), "Writer:   lock(" + B + ")"));
    }

    @Test
    void cycleGuardedByTheSameGateInstanceIsDropped() throws Exception {
        String gate = "Vol.mtx(write)#42";
        Path rec = record(tmp.resolve("gate.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B).otherHeld(gate)));
            onThread("t2", () -> App.nested(edge(B, A).otherHeld("Oth(read)#7;" + gate)));
        });
        JsonNode root = json(rec);
        assertEquals(0, root.get("findings").size());
        assertEquals(1, root.at("/summary/rules/lock-order-cycle/cyclesDroppedByGate").asLong());
    }

    @Test
    void gateWithDifferentInstancesDoesNotProtect() throws Exception {
        Path rec = record(tmp.resolve("gate2.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B).otherHeld("Vol.mtx(write)#42")));
            onThread("t2", () -> App.nested(edge(B, A).otherHeld("Vol.mtx(write)#43")));
        });
        JsonNode root = json(rec);
        assertEquals(1, root.get("findings").size());
        assertEquals(0, root.at("/summary/rules/lock-order-cycle/cyclesDroppedByGate").asLong());
    }

    @Test
    void gateClassSeenWithSeveralInstancesIsNotTrusted() throws Exception {
        // the agent records an edge once per gate class set, so instance 42 may stand for later
        // acquisitions under another instance: a gate class with several instances protects nothing
        String gate = "Vol.mtx(write)#42";
        Path rec = record(tmp.resolve("gate4.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B).otherHeld(gate)));
            onThread("t2", () -> App.nested(edge(B, A).otherHeld(gate)));
            onThread("t3", () -> App.nested(edge("com.acme.C.lock", "com.acme.D.lock").otherHeld("Vol.mtx(write)#99")));
        });
        JsonNode root = json(rec);
        assertEquals(1, root.get("findings").size());
        assertEquals(0, root.at("/summary/rules/lock-order-cycle/cyclesDroppedByGate").asLong());
    }

    @Test
    void gateHeldInReadModeDoesNotProtect() throws Exception {
        Path rec = record(tmp.resolve("gate3.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B).otherHeld("Vol.rw(read)#42")));
            onThread("t2", () -> App.nested(edge(B, A).otherHeld("Vol.rw(read)#42")));
        });
        assertEquals(1, json(rec).get("findings").size());
    }

    @Test
    void singleThreadCycleIsReportedAndMarked() throws Exception {
        Path rec = record(tmp.resolve("single.jfr"), () -> onThread("loner", () -> {
            App.nested(edge(A, B));
            App.nested(edge(B, A));
        }));
        JsonNode f = json(rec).get("findings");
        assertEquals(1, f.size());
        assertTrue(f.get(0).get("singleThread").asBoolean());
        assertEquals("warning", f.get(0).get("severity").asText());
        assertTrue(f.get(0).get("explanation").asText().contains("Both orders were seen only on thread \"loner\""));

        // The same edge seen again on another thread (anotherThread=true) makes it a real two-thread cycle.
        Path rec2 = record(tmp.resolve("single2.jfr"), () -> onThread("loner", () -> {
            App.nested(edge(A, B));
            App.nested(edge(B, A).onAnotherThread());
        }));
        JsonNode f2 = json(rec2).get("findings");
        assertFalse(f2.get(0).get("singleThread").asBoolean());
    }

    @Test
    void cycleSplitAcrossTwoRecordingsIsFound() throws Exception {
        Path one = record(tmp.resolve("jvm1.jfr"), () -> onThread("main", () -> App.nested(edge(A, B))));
        Path two = record(tmp.resolve("jvm2.jfr"), () -> onThread("main", () -> App.nested(edge(B, A))));
        assertEquals(0, json(one).get("findings").size());
        JsonNode root = json(one, two);
        JsonNode f = root.get("findings");
        assertEquals(1, f.size());
        assertFalse(f.get(0).get("singleThread").asBoolean(), "threads of two JVMs are different threads");
        assertEquals(0, f.get(0).get("edges").get(0).get("thread").get("recording").asInt());
        assertEquals(1, f.get(0).get("edges").get(1).get("thread").get("recording").asInt());
        assertEquals(2, root.get("recordings").size());
        // Held stacks resolve within each recording.
        assertTrue(f.get(0).get("edges").get(1).get("heldStackRecorded").asBoolean());
    }

    @Test
    void trylockEdgeCannotCloseACycle() throws Exception {
        Path rec = record(tmp.resolve("try.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B)));
            onThread("t2", () -> App.nested(edge(B, A).tryLock()));
        });
        JsonNode root = json(rec);
        assertEquals(0, root.get("findings").size());
        assertEquals(0, root.at("/summary/rules/lock-order-cycle/cyclesFound").asLong());
    }

    @Test
    void selfEdgesAreNotCycles() throws Exception {
        Path rec = record(tmp.resolve("self.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, A)));
            onThread("t2", () -> App.nested(edge(A, A)));
        });
        assertEquals(0, json(rec).get("findings").size());
    }

    @Test
    void cycleLengthBoundIsHonouredAndStated() throws Exception {
        Path rec = record(tmp.resolve("four.jfr"), () -> {
            onThread("t1", () -> App.nested(edge(A, B)));
            onThread("t2", () -> App.nested(edge(B, C)));
            onThread("t3", () -> App.nested(edge(C, D)));
            onThread("t4", () -> App.nested(edge(D, A)));
        });
        assertEquals(1, json(rec).get("findings").size());
        Jfr.Run bounded = cli("analyze", "--format", "json", "--max-cycle-length", "3", rec.toString());
        assertEquals(0, bounded.code(), bounded.err());
        JsonNode root = new ObjectMapper().readTree(bounded.out());
        assertTrue(root.at("/summary/rules/lock-order-cycle/lengthBoundHit").asBoolean());
        assertTrue(anyContains(root.at("/summary/rules/lock-order-cycle/notes"), "longer than 3"));
        Jfr.Run text = cli("analyze", "--max-cycle-length", "3", rec.toString());
        assertTrue(text.out().contains("longer than 3 lock classes were not searched"));
    }

    @Test
    void incompleteRecordingIsSaid() throws Exception {
        Path rec = record(tmp.resolve("inc.jfr"), () -> {
            Emit.statistics(5, 0);
            Emit.statistics(9, 3);
            onThread("t1", () -> App.nested(edge(A, B)));
        });
        JsonNode root = json(rec);
        assertTrue(root.at("/summary/incomplete").asBoolean());
        assertTrue(root.at("/recordings/0/incomplete").asBoolean());
        assertEquals(3, root.at("/recordings/0/statistics/droppedEdges").asLong());
        assertEquals(9, root.at("/recordings/0/statistics/edges").asLong(), "max over the recording");
        assertEquals("test-agent", root.at("/recordings/0/agentVersion").asText());
        Jfr.Run text = cli("analyze", rec.toString());
        assertTrue(text.out().contains("INCOMPLETE"));
        assertTrue(text.out().contains("Summary: no findings in 1 recording; INCOMPLETE"));
    }

    @Test
    void eventsWithoutLockClassAreWarned() throws Exception {
        Path rec = record(tmp.resolve("nulls.jfr"), () -> onThread("t1", () -> {
            App.nested(edge(A, B));
            Emit.edge(new Emit.Edge(null, "write", B, "write", false, "", false), 1);
        }));
        JsonNode root = json(rec);
        assertTrue(anyContains(root.get("warnings"), "1 lock events had no lock class"), root::toPrettyString);
        assertEquals(1, root.at("/summary/edges").asInt());
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        Path rec = record(tmp.resolve("doc.jfr"), () -> {
            onThread("worker-1", () -> App.nested(edge(A, B)));
            onThread("worker-2", () -> App.nested(edge(B, A)));
        });
        JsonNode root = json(rec);
        for (String field : List.of("tool", "version", "schemaVersion", "recordings", "warnings", "summary", "findings")) {
            assertTrue(root.has(field), field);
        }
        assertEquals("lockdep4j", root.get("tool").asText());
        for (String field : List.of("index", "path", "events", "lockdepEvents", "incomplete", "statistics")) {
            assertTrue(root.get("recordings").get(0).has(field), field);
        }
        for (String field : List.of("findings", "bySeverity", "lockClasses", "edges", "chains", "incomplete", "rules")) {
            assertTrue(root.get("summary").has(field), field);
        }
        JsonNode f = root.get("findings").get(0);
        for (String field : List.of("rule", "severity", "key", "title", "locks", "singleThread", "edges", "writers", "scenario",
                "explanation")) {
            assertTrue(f.has(field), field);
        }
        for (String field : List.of("from", "fromMode", "to", "toMode", "thread", "acquireStack", "heldStack", "otherHeld")) {
            assertTrue(f.get("edges").get(0).has(field), field);
        }
        assertEquals(2, root.at("/summary/lockClasses").asInt());
        assertEquals(1, root.at("/summary/bySeverity/error").asInt());
    }

    @Test
    void reportCanBeWrittenToAFile() throws Exception {
        Path rec = record(tmp.resolve("o.jfr"), () -> {
            onThread("worker-1", () -> App.nested(edge(A, B)));
            onThread("worker-2", () -> App.nested(edge(B, A)));
        });
        Path out = tmp.resolve("reports/r.json");
        Jfr.Run run = cli("analyze", "--format", "JSON", "-o", out.toString(), rec.toString());
        assertEquals(1, run.code(), run.err());
        assertEquals("", run.out());
        assertEquals(1, new ObjectMapper().readTree(out.toFile()).get("findings").size());
        assertTrue(run.err().startsWith("lockdep4j: Summary: 1 finding"), run.err());
    }
}
