package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21.1/21.2 and 15.4, end to end (real JVM, the shaded agent, the launcher): how a lock gets
 * its lock class. Each inversion has a safe twin that must stay clean, and each twin checks the
 * recorded edges carry the role names, so a twin cannot pass by recording nothing.
 */
class LockNamingEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.NamingScenarios$";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Outcome(JsonNode report, Set<String> edges) {}

    Outcome run(String scenario, int expectedExit) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--", Launcher.JAVA, "-cp",
                Launcher.TEST_CLASSES, "io.lockdep4j.tests.workloads.NamingScenarios", scenario);
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        assertTrue(run.stdout().contains("scenario " + scenario + " done"), run.stdout());
        Set<String> edges = new TreeSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            if (e.getEventType().getName().equals("lockdep4j.LockOrderEdge")) {
                edges.add(e.getString("heldLock") + " -> " + e.getString("acquiredLock"));
            }
        }
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(expectedExit, analyze.exitCode(), "analyze exit code; edges " + edges + "\nstdout: " + analyze.stdout()
                + "\nstderr: " + analyze.stderr());
        return new Outcome(JSON.readTree(analyze.stdout()), edges);
    }

    static List<Set<String>> cycles(JsonNode report) {
        List<Set<String>> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            if ("lock-order-cycle".equals(f.path("rule").asText())) {
                Set<String> s = new TreeSet<>();
                f.path("locks").forEach(n -> s.add(n.asText()));
                out.add(s);
            }
        }
        return out;
    }

    // ---- 21.1 lock wrappers

    @Test
    void twoWrapperFieldsTakenInBothOrdersAreACycle() throws Exception {
        Outcome o = run("wrapper-inverted", 1);
        assertEquals(List.of(Set.of(W + "Registry.lock", W + "Session.lock")), cycles(o.report()), o.edges().toString());
    }

    @Test
    void twoWrapperFieldsInOneOrderAreCleanAndNamedByTheirFields() throws Exception {
        Outcome o = run("wrapper-one-order", 0);
        assertEquals(Set.of(W + "Registry.lock -> " + W + "Session.lock"), o.edges());
    }

    @Test
    void wrapperAroundALockSubclassMadeByAFactoryIsNamedByTheOwnersField() throws Exception {
        Outcome o = run("wrapped-subclass-inverted", 1);
        assertEquals(List.of(Set.of(W + "Catalog.guard", W + "Index.guard")), cycles(o.report()), o.edges().toString());
    }

    @Test
    void wrapperAroundALockSubclassInOneOrderIsClean() throws Exception {
        Outcome o = run("wrapped-subclass-one-order", 0);
        assertEquals(Set.of(W + "Catalog.guard -> " + W + "Index.guard"), o.edges());
    }

    // ---- 21.2 one base-class field, two roles

    @Test
    void twoLevelPoolShapeIsCleanBecauseEachPoolClassIsItsOwnRole() throws Exception {
        Outcome o = run("pool-two-level", 0);
        assertEquals(Set.of(
                W + "StatementPool.evictionLock -> " + W + "StatementPool.closeLock",
                W + "ConnectionPool.evictionLock -> " + W + "ConnectionPool.closeLock",
                W + "ConnectionPool.closeLock -> " + W + "StatementPool.evictionLock"), o.edges());
    }

    @Test
    void inversionThroughABaseClassFieldOfTwoInstancesOfOneRoleIsFound() throws Exception {
        Outcome o = run("pool-inversion", 1);
        assertEquals(List.of(Set.of(W + "StatementPool.evictionLock", W + "Stats.statsLock")), cycles(o.report()),
                o.edges().toString());
    }

    @Test
    void baseClassFieldInOneOrderIsClean() throws Exception {
        Outcome o = run("pool-one-order", 0);
        assertEquals(Set.of(W + "StatementPool.evictionLock -> " + W + "Stats.statsLock"), o.edges());
    }

    // ---- 15.4 locks in containers, lock subclasses in fields

    @Test
    void locksInAStripedClassAnArrayAndAMapAreNamedByTheFieldThatKeepsThem() throws Exception {
        Outcome o = run("containers-inverted", 1);
        Set<Set<String>> found = new java.util.HashSet<>(cycles(o.report()));
        assertEquals(Set.of(
                Set.of(W + "FileTracker.filesLock[]", W + "FileTracker.metaLock"),
                Set.of(W + "FileTracker.stripes[]", W + "FileTracker.metaLock"),
                Set.of(W + "FileTracker.byName[]", W + "FileTracker.metaLock")), found, o.edges().toString());
    }

    @Test
    void lockContainersInOneOrderAreClean() throws Exception {
        Outcome o = run("containers-one-order", 0);
        assertEquals(Set.of(
                W + "FileTracker.filesLock[] -> " + W + "FileTracker.metaLock",
                W + "FileTracker.stripes[] -> " + W + "FileTracker.metaLock",
                W + "FileTracker.byName[] -> " + W + "FileTracker.metaLock"), o.edges());
    }

    @Test
    void lockSubclassInAFieldIsOneLockClassWhateverMethodLocksIt() throws Exception {
        Outcome o = run("subclass-field-inverted", 1);
        assertEquals(List.of(Set.of(W + "Deque.lock", W + "Listeners.listenersLock")), cycles(o.report()),
                o.edges().toString());
    }

    @Test
    void lockSubclassInAFieldInOneOrderIsClean() throws Exception {
        Outcome o = run("subclass-field-one-order", 0);
        assertEquals(Set.of(W + "Deque.lock -> " + W + "Listeners.listenersLock"), o.edges());
    }
}
