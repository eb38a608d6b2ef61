package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Online mode": the agent's own cycle check (option onCycle), in real JVMs under the real
 * agent jar and launcher. The report must come at the moment the cycle closes (before the program
 * goes on), name both lock classes and both stacks; with onCycle=throw the acquisition must throw
 * before it takes anything; and the cycles the offline analysis drops (a gate, read-only) stay silent
 * online too.
 */
class OnlineCycleEndToEndTest {
    static final String SPLAT = "WARNING: possible circular locking dependency detected";
    static final String ONLINE = "io.lockdep4j.tests.workloads.OnlineScenarios";
    static final String V = ONLINE + "$Volumes.";

    @TempDir
    Path dir;

    Launcher.Result run(String mainClass, String scenario, String agentOpts) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString()));
        if (agentOpts != null) {
            args.addAll(List.of("--agent-opts", agentOpts));
        }
        args.addAll(List.of("--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES, mainClass, scenario));
        Launcher.Result r = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), "run failed: " + r.stderr());
        assertTrue(r.stdout().contains("scenario " + scenario + " done"), r.stdout() + r.stderr());
        return r;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static List<RecordedEvent> violations(Path rec) throws Exception {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            if (e.getEventType().getName().equals("lockdep4j.LockOrderViolation")) {
                out.add(e);
            }
        }
        return out;
    }

    /** The splat of an inversion between a ReentrantLock and a monitor: at that moment, once, with both stacks. */
    void assertReportedAtTheMoment(Launcher.Result r) {
        String err = r.stderr();
        assertEquals(1, count(err, SPLAT), err);
        int splat = err.indexOf(SPLAT);
        int after = err.indexOf("MARK after the closing acquisition");
        assertTrue(after > splat, "the report must come before the program goes on:\n" + err);
        String report = err.substring(splat, after);
        assertTrue(report.contains("is trying to acquire lock:\n    " + V + "volumeLock (ReentrantLock)"), report);
        assertTrue(report.contains("but it already holds lock:\n    " + V + "mountLock (monitor)"), report);
        assertTrue(report.contains("-> #1: " + V + "volumeLock (ReentrantLock) -> " + V + "mountLock (monitor)"), report);
        // the recorded stack of the other order and the stack of this acquisition, in the workload's lambdas
        int chain = report.indexOf("the existing dependency chain is:");
        int scenario = report.indexOf("Possible unsafe locking scenario:");
        int self = report.indexOf("stack of this acquisition");
        assertTrue(chain > 0 && scenario > chain && self > scenario, report);
        assertTrue(report.substring(chain, scenario).contains("at " + ONLINE + "."), report);
        assertTrue(report.substring(self).contains("at " + ONLINE + "."), report);
        assertTrue(report.contains("Thread 1: lock(" + V + "mountLock)"), report);
        assertTrue(report.contains("Thread 1: lock(" + V + "volumeLock)   <- waits: Thread 2 holds " + V + "volumeLock"), report);
        assertTrue(report.contains("*** DEADLOCK ***"), report);
    }

    @Test
    void reportPrintsTheSplatWhenTheCycleClosesAndWritesAnEvent() throws Exception {
        Launcher.Result r = run(ONLINE, "report-inversion", null); // report is the default
        assertReportedAtTheMoment(r);
        Path rec = dir.resolve("report-inversion.jfr");
        List<RecordedEvent> v = violations(rec);
        assertEquals(1, v.size(), v.toString());
        assertEquals(V + "mountLock -> " + V + "volumeLock -> " + V + "mountLock", v.get(0).getString("cycle"));
        assertEquals("report", v.get(0).getString("policy"));
        assertFalse(v.get(0).getBoolean("singleThread"));
        // the offline analysis finds the same cycle from the same recording
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString());
        assertEquals(1, analyze.exitCode(), analyze.stdout() + analyze.stderr());
        assertTrue(analyze.stdout().contains("possible circular locking dependency detected"), analyze.stdout());
    }

    @Test
    void virtualThreadsToo() throws Exception {
        assumeTrue(Launcher.javaFeatureVersion() >= 21, "virtual threads need JDK 21+");
        Launcher.Result r = run(ONLINE, "report-virtual", "onCycle=report");
        String err = r.stderr();
        assertEquals(1, count(err, SPLAT), err);
        assertTrue(err.indexOf("MARK after the closing acquisition") > err.indexOf(SPLAT), err);
        assertTrue(err.contains(V + "volumeLock (ReentrantLock)"), err);
    }

    @Test
    void safeTwinStaysSilent() throws Exception {
        Launcher.Result r = run(ONLINE, "consistent", null);
        assertFalse(r.stderr().contains(SPLAT), r.stderr());
        assertTrue(r.stderr().contains("MARK program still running"), r.stderr());
        assertEquals(0, violations(dir.resolve("consistent.jfr")).size());
    }

    @Test
    void offIsAsBefore() throws Exception {
        Launcher.Result r = run(ONLINE, "report-inversion", "onCycle=off");
        assertFalse(r.stderr().contains(SPLAT), r.stderr());
        assertEquals(0, violations(dir.resolve("report-inversion.jfr")).size());
    }

    /** The cycles the analyzer drops are dropped online by the same rules: a common gate instance, reads only. */
    @Test
    void gatedAndReadOnlyCyclesStaySilentOnlineAsOffline() throws Exception {
        for (String scenario : List.of("gated", "read-only")) {
            Launcher.Result r = run(LockOrderEndToEndTest.W.substring(0, LockOrderEndToEndTest.W.length() - 1), scenario, null);
            assertFalse(r.stderr().contains(SPLAT), scenario + ":\n" + r.stderr());
            Path rec = dir.resolve(scenario + ".jfr");
            assertEquals(0, violations(rec).size(), scenario);
            Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString());
            assertEquals(0, analyze.exitCode(), scenario + ": " + analyze.stdout());
        }
        // and their unsafe neighbours are reported online as offline
        Launcher.Result r = run(LockOrderEndToEndTest.W.substring(0, LockOrderEndToEndTest.W.length() - 1), "inversion-rwlock", null);
        assertEquals(1, count(r.stderr(), SPLAT), r.stderr());
    }

    @Test
    void throwMakesTheClosingAcquisitionThrowBeforeItTakesAnything() throws Exception {
        Launcher.Result r = run(ONLINE, "throw-all", "onCycle=throw");
        String err = r.stderr();
        for (String kind : Arrays.asList("lock", "lockInterruptibly", "rwWrite", "rwRead", "stamped", "monitor", "synchronizedMethod")) {
            assertTrue(err.contains("KIND " + kind + ": threw, nothing taken, both taken after"), kind + ":\n" + err);
        }
        assertTrue(err.contains("KIND tryLock: no exception"), err);
        // one report per cycle, each saying that the acquisition threw (lock threw twice, reported once)
        assertEquals(7, count(err, SPLAT), err);
        assertEquals(7, count(err, "onCycle=throw: this acquisition throws io.lockdep4j.agent.bootstrap.LockOrderViolationException"), err);
        List<RecordedEvent> v = violations(dir.resolve("throw-all.jfr"));
        assertEquals(7, v.size(), v.toString());
        assertTrue(v.stream().allMatch(e -> "throw".equals(e.getString("policy"))));
    }
}
