package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (1-3) and 21 (5): the locks the JVM takes for the program (a class's initialization lock,
 * a non-parallel-capable loader's class-loading lock), two instances of one lock class nested, and JDK
 * monitors beyond the old hand-picked list. Real JVMs, the real agent jar, the real launcher.
 */
class JvmLocksEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.JvmLockScenarios$";
    static final String CLINIT = "io.lockdep4j.tests.workloads.clinit.";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private int runs;

    Path run(String scenario, String... agentOptions) throws Exception {
        Path rec = dir.resolve(scenario + "-" + runs++ + ".jfr"); // one file per JVM: some tests run a scenario twice
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString()));
        if (agentOptions.length > 0) {
            args.add("--agent-opts");
            args.add(String.join(",", agentOptions));
        }
        args.addAll(List.of("--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES, "io.lockdep4j.tests.workloads.JvmLockScenarios", scenario));
        Launcher.Result r = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), "run failed: " + r.stderr());
        assertTrue(r.stdout().contains("scenario " + scenario + " done"), r.stdout() + r.stderr());
        return rec;
    }

    JsonNode analyze(int expectedExit, Path... recs) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze"));
        for (Path p : recs) {
            args.add(p.toString());
        }
        args.addAll(List.of("--format", "json"));
        Launcher.Result a = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(expectedExit, a.exitCode(), "analyze exit code; stderr: " + a.stderr() + "\nstdout: " + a.stdout());
        return JSON.readTree(a.stdout());
    }

    static List<JsonNode> findings(JsonNode report, String rule) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            if (rule.equals(f.path("rule").asText())) {
                out.add(f);
            }
        }
        return out;
    }

    static Set<String> locks(JsonNode finding) {
        Set<String> s = new TreeSet<>();
        finding.path("locks").forEach(n -> s.add(n.asText()));
        return s;
    }

    // ---------------------------------------------------------------- 15.1 class initialization

    @Test
    void classInitCycleFromTwoRunsIsFoundByAnalyzeAndCheck() throws Exception {
        Path lockFirst = run("clinit-lock-then-touch");
        Path touchFirst = run("clinit-touch-first");
        // each run alone shows one order only: no cycle
        assertEquals(0, findings(analyze(0, lockFirst), "lock-order-cycle").size());
        assertEquals(0, findings(analyze(0, touchFirst), "lock-order-cycle").size());

        JsonNode both = analyze(1, lockFirst, touchFirst);
        List<JsonNode> cycles = findings(both, "lock-order-cycle");
        assertEquals(1, cycles.size(), both.toPrettyString());
        assertEquals(Set.of("<clinit> " + CLINIT + "Config", CLINIT + "Registry.LOCK"), locks(cycles.get(0)));
        // the edge into the initialization lock is where the holder of LOCK touched Config
        assertTrue(cycles.get(0).path("edges").toString().contains("Paths.lockThenTouch"), cycles.get(0).toPrettyString());

        Launcher.Result check = Launcher.lockdep4j("check", lockFirst.toString(), touchFirst.toString());
        assertEquals(1, check.exitCode(), check.stdout() + check.stderr());
        assertTrue(check.stdout().contains("<clinit> " + CLINIT + "Config"), check.stdout());
    }

    @Test
    void safeTwinClassInitTouchedFirstInBothRunsIsClean() throws Exception {
        Path one = run("clinit-touch-first");
        Path two = run("clinit-touch-first");
        JsonNode report = analyze(0, one, two);
        assertEquals(0, findings(report, "lock-order-cycle").size(), report.toPrettyString());
    }

    @Test
    void cycleBetweenTwoClassesInitializersFromTwoRuns() throws Exception {
        Path a = run("clinit-touch-a");
        Path b = run("clinit-touch-b");
        JsonNode report = analyze(1, a, b);
        List<JsonNode> cycles = findings(report, "lock-order-cycle");
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of("<clinit> " + CLINIT + "MutualA", "<clinit> " + CLINIT + "MutualB"), locks(cycles.get(0)));
        // twin: the same class touched first in both runs
        JsonNode twin = analyze(0, a, run("clinit-touch-a"));
        assertEquals(0, findings(twin, "lock-order-cycle").size(), twin.toPrettyString());
    }

    @Test
    void classInitCycleFromTwoLoadersInOneJvm() throws Exception {
        JsonNode report = analyze(1, run("clinit-two-loaders"));
        List<JsonNode> cycles = findings(report, "lock-order-cycle");
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of("<clinit> " + CLINIT + "Config", CLINIT + "Registry.LOCK"), locks(cycles.get(0)));
        assertFalse(cycles.get(0).path("singleThread").asBoolean(), "two worker threads: " + cycles.get(0).toPrettyString());
    }

    @Test
    void safeTwinTwoLoadersInOneOrderIsClean() throws Exception {
        JsonNode report = analyze(0, run("clinit-two-loaders-same-order"));
        assertEquals(0, findings(report, "lock-order-cycle").size(), report.toPrettyString());
    }

    // ---------------------------------------------------------------- 15.2 the class-loading lock

    @Test
    void nonParallelCapableLoaderWhoseFindClassTakesAnApplicationLock() throws Exception {
        JsonNode report = analyze(1, run("loader-lock"));
        List<JsonNode> cycles = findings(report, "lock-order-cycle");
        assertEquals(1, cycles.size(), report.toPrettyString());
        assertEquals(Set.of(W + "PluginLoader", W + "PluginRegistry.LOCK"), locks(cycles.get(0)));
        String edges = cycles.get(0).path("edges").toString();
        assertTrue(edges.contains("PluginLoader.findClass"), edges);
        assertTrue(edges.contains("java.lang.ClassLoader.loadClass"), edges);
    }

    @Test
    void safeTwinParallelCapableLoaderIsClean() throws Exception {
        JsonNode report = analyze(0, run("loader-lock-parallel"));
        assertEquals(0, findings(report, "lock-order-cycle").size(), report.toPrettyString());
    }

    // ---------------------------------------------------------------- 15.3 same-class nesting

    static JsonNode onlyNesting(JsonNode report, String lock) {
        List<JsonNode> nestings = findings(report, "recursive-locking");
        assertEquals(1, nestings.size(), report.toPrettyString());
        assertEquals(Set.of(lock), locks(nestings.get(0)));
        return nestings.get(0);
    }

    @Test
    void hashtableEqualsBothWaysFromTwoThreads() throws Exception {
        JsonNode f = onlyNesting(analyze(1, run("hashtable-equals")), W + "Session.attrs");
        assertEquals("error", f.path("severity").asText(), f.toPrettyString());
        assertFalse(f.path("singleThread").asBoolean());
        JsonNode edges = f.path("edges");
        assertEquals(2, edges.size(), "one nesting per thread: " + f.toPrettyString());
        for (JsonNode e : edges) {
            assertTrue(e.path("acquireStack").toString().contains("java.util.Hashtable.equals"), e.toPrettyString());
            assertTrue(e.path("heldInstance").asInt() != e.path("acquiredInstance").asInt(), e.toPrettyString());
        }
    }

    @Test
    void safeTwinHashtableEqualsAgainstASnapshotIsClean() throws Exception {
        JsonNode report = analyze(0, run("hashtable-equals-snapshot"));
        assertEquals(0, findings(report, "recursive-locking").size(), report.toPrettyString());
    }

    @Test
    void vectorAddAllBothWays() throws Exception {
        JsonNode f = onlyNesting(analyze(1, run("vector-addall")), W + "Inbox.messages");
        assertEquals("error", f.path("severity").asText(), f.toPrettyString());
        assertTrue(f.path("edges").toString().contains("java.util.Vector.addAll"), f.toPrettyString());
    }

    @Test
    void safeTwinVectorAddAllOfACopyIsClean() throws Exception {
        JsonNode report = analyze(0, run("vector-addall-snapshot"));
        assertEquals(0, findings(report, "recursive-locking").size(), report.toPrettyString());
    }

    /**
     * Jetty's lifecycle shape (the warning on the Hadoop NFS gateway): _lock nested in itself, and
     * parent _lock -> a handler's synchronized doStart -> child _lock, a cycle through two instances of
     * _lock. Undeclared, both are reported; declared ordered, both are info.
     */
    @Test
    void orderedLockClassIsReportedAsInfoOnly() throws Exception {
        String lock = W + "Component._lock";
        JsonNode undeclaredReport = analyze(1, run("lifecycle-tree"));
        JsonNode undeclared = onlyNesting(undeclaredReport, lock);
        assertEquals("error", undeclared.path("severity").asText(), undeclared.toPrettyString());
        assertTrue(undeclared.path("explanation").asText().contains("orderedLockClasses=" + lock), undeclared.toPrettyString());
        // ContextHandler's own _lock is its own lock class (a base-class field is named by the holder's
        // runtime class), so the tree gives a cycle per path back to Component._lock: each closes only
        // through two Component instances (parent and child)
        List<JsonNode> cycles = findings(undeclaredReport, "lock-order-cycle");
        assertFalse(cycles.isEmpty(), undeclaredReport.toPrettyString());
        for (JsonNode c : cycles) {
            assertTrue(locks(c).contains(lock), c.toPrettyString());
            assertFalse("info".equals(c.path("severity").asText()), c.toPrettyString());
        }

        Path rec = run("lifecycle-tree", "orderedLockClasses=" + lock);
        // every finding is info now: a note, not a failure (analyze exits 0)
        JsonNode declaredReport = analyze(0, rec);
        JsonNode declared = onlyNesting(declaredReport, lock);
        assertEquals("info", declared.path("severity").asText(), declared.toPrettyString());
        assertTrue(declared.path("ordered").asBoolean(), declared.toPrettyString());
        List<JsonNode> declaredCycles = findings(declaredReport, "lock-order-cycle");
        assertEquals(cycles.size(), declaredCycles.size(), declaredReport.toPrettyString());
        for (JsonNode c : declaredCycles) {
            assertEquals("info", c.path("severity").asText(), c.toPrettyString());
            assertEquals(lock, c.path("throughOrderedLockClass").asText());
        }
        // a CI gate on warnings (the Maven plugin's default failOn) passes
        Launcher.Result check = Launcher.lockdep4j("check", rec.toString(), "--fail-on", "warning");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
    }

    // ---------------------------------------------------------------- 21.5 JDK monitors beyond a list

    @Test
    void twoInstancesOfAJdkClassOutsideTheOldListNestedThroughAUserCallback() throws Exception {
        JsonNode f = onlyNesting(analyze(1, run("handler-callback")), "java.util.logging.MemoryHandler");
        assertEquals("error", f.path("severity").asText(), f.toPrettyString());
        assertTrue(f.path("edges").toString().contains(W + "Forwarder.publish"), f.toPrettyString());
        // the old hand-picked default did not trace MemoryHandler: the same program reported nothing
        Path old = run("handler-callback", "jdkMonitors=java.util.Hashtable;java.util.Vector;java.util.Stack;java.util.Observable;"
                + "java.util.Collections$Synchronized");
        assertEquals(0, findings(analyze(0, old), "recursive-locking").size());
    }

    @Test
    void safeTwinHandlersPublishedOneAtATimeIsClean() throws Exception {
        JsonNode report = analyze(0, run("handler-no-callback"));
        assertEquals(0, report.path("findings").size(), report.toPrettyString());
    }
}
