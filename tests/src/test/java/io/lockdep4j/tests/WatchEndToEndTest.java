package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Online mode": {@code lockdep4j watch PID} on a running JVM that was started without the
 * agent: watch loads it, follows the JFR repository, and prints the lock-order cycle while the
 * program still runs, once the program switches its hazard on; on SIGTERM/Ctrl-C it prints a summary.
 */
class WatchEndToEndTest {
    @TempDir
    Path dir;

    static String waitFor(Path file, String text, Process alive, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String s = Files.exists(file) ? Files.readString(file) : "";
            if (s.contains(text)) {
                return s;
            }
            if (!alive.isAlive()) {
                throw new AssertionError("exited before printing '" + text + "':\n" + s);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' within " + seconds + " s:\n" + (Files.exists(file) ? Files.readString(file) : ""));
    }

    @Test
    void watchPrintsTheCycleWhileTheProgramRunsAndASummaryOnSignal() throws Exception {
        Process app = new ProcessBuilder(Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.OnlineScenarios", "until-stopped", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.txt").toFile()).start();
        Process watch = null;
        try {
            waitFor(dir.resolve("app.txt"), "ready", app, 60);
            Path out = dir.resolve("watch-out.txt");
            Path err = dir.resolve("watch-err.txt");
            ProcessBuilder pb = new ProcessBuilder("bash", Launcher.ROOT.resolve("lockdep4j").toString(), "watch", Long.toString(app.pid()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            watch = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            String e = waitFor(err, "watching process " + app.pid(), watch, 120);
            assertTrue(e.contains("loaded the agent into process " + app.pid()), e);
            Files.createFile(dir.resolve("hazard-on"));
            String o = waitFor(out, "lock-order-cycle: possible circular locking dependency detected", watch, 120);
            assertTrue(app.isAlive(), "the finding must come while the program runs");
            // locks created before the attach are named by where they were first locked (README: A running JVM)
            assertTrue(o.contains("io.lockdep4j.tests.workloads.OnlineScenarios$Volumes.mountLock -> "
                    + "ReentrantLock locked in io.lockdep4j.tests.workloads.OnlineScenarios.mount -> "), o);
            assertTrue(o.contains("WARNING: possible circular locking dependency detected"), o); // the agent's report
            // two locks first taken nested in one method (scan) are two lock classes, the second named by
            // its line: evict's other order is a cycle, not a self-edge of one "locked in scan" class
            String scan = "ReentrantLock locked in io.lockdep4j.tests.workloads.OnlineScenarios.scan";
            o = waitFor(out, scan + " (line ", watch, 60);
            assertTrue(o.matches("(?s).*lock-order-cycle: [^\n]*" + java.util.regex.Pattern.quote(scan) + " -> .*"), o);
            watch.destroy(); // SIGTERM, as Ctrl-C: the summary
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch did not stop");
            e = Files.readString(err);
            assertTrue(e.contains("watch summary for process " + app.pid() + ": 2 findings (lock-order-cycle 2)"), e);
            assertEquals(2, Files.readString(out).split("lock-order-cycle: ", -1).length - 1, Files.readString(out));
            assertTrue(app.isAlive(), "the watched JVM runs on");
        } finally {
            Files.writeString(dir.resolve("stop"), "");
            if (watch != null) {
                watch.destroyForcibly();
            }
            if (!app.waitFor(60, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /** Watches the NFS server, and starts its load once watch follows it. */
    private Process watchUnderLoad(NfsUnderLoad nfs, Path out, Path err) throws Exception {
        Process watch = watch(nfs.server.pid(), out, err);
        waitFor(err, "watching process " + nfs.server.pid(), watch, 120);
        nfs.startLoad(4);
        return watch;
    }

    /** SIGTERM, as Ctrl-C: watch prints its summary on stderr, returned. */
    private static String stop(Process watch, Path err) throws Exception {
        watch.destroy();
        assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch did not stop");
        return Files.readString(err);
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
    }

    /** Starts {@code lockdep4j watch PID} with its stdout and stderr in files of {@link #dir}. */
    private Process watch(long pid, Path out, Path err) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Launcher.ROOT.resolve("lockdep4j").toString(), "watch", Long.toString(pid));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /**
     * The issue's own case: the sample NFS server, started without the agent and with its
     * lock-inversion hazard on (the cache reaper takes lruLock then namespaceLock, namespace
     * operations the other way), under its load driver: watch prints the cycle while the server
     * serves. Its safe twin (hazard off, same load) is below.
     */
    @Test
    void watchOnTheRunningNfsServerPrintsItsLockInversionWhileItServes() throws Exception {
        List<String> cmd = new java.util.ArrayList<>(NfsUnderLoad.plainServer());
        cmd.add("--hazard=lock-inversion");
        Path out = dir.resolve("watch-out.txt");
        Path err = dir.resolve("watch-err.txt");
        Process watch = null;
        try (NfsUnderLoad nfs = new NfsUnderLoad(cmd)) {
            watch = watchUnderLoad(nfs, out, err);
            String o;
            try {
                o = waitFor(out, "lock-order-cycle: possible circular locking dependency detected", watch, 180);
            } catch (AssertionError e) { // what the load, the server and watch did, to tell a stalled load from a missed cycle
                throw new AssertionError(e.getMessage() + "\nload: " + nfs.loadSummary() + "\nwatch stderr:\n"
                        + Files.readString(err) + "\nserver stderr (tail):\n" + tail(nfs.serverStderr(), 4000), e);
            }
            assertTrue(nfs.server.isAlive(), "the finding must come while the server runs");
            // both locks were created before the attach: named by where they were first locked
            assertTrue(o.contains("NfsFileCache") && o.contains("NfsExport"), o);
            String e = stop(watch, err);
            assertTrue(e.contains("(lock-order-cycle 1"), e);
            nfs.stopLoad();
            assertEquals(0, nfs.errors.get() + nfs.verifyErrors.get(), nfs.loadSummary());
        } finally {
            if (watch != null) {
                watch.destroyForcibly();
            }
        }
    }

    /** The twin: the same server and load with every hazard off; watch sees no lock-order cycle. */
    @Test
    void watchOnTheSafeNfsServerPrintsNoCycle() throws Exception {
        Path out = dir.resolve("watch-out.txt");
        Path err = dir.resolve("watch-err.txt");
        Process watch = null;
        try (NfsUnderLoad nfs = new NfsUnderLoad(NfsUnderLoad.plainServer())) {
            watch = watchUnderLoad(nfs, out, err);
            nfs.awaitOps(0, 3000); // more than the hazardous twin needed (its reaper runs every 200 ms)
            Thread.sleep(3000); // JFR flushes its repository once a second: let watch read the last of it
            String e = stop(watch, err);
            assertTrue(e.contains("watch summary for process " + nfs.server.pid()), e);
            assertFalse(e.contains("lock-order-cycle"), e);
            assertFalse(Files.readString(out).contains("lock-order-cycle"), Files.readString(out));
            // the JDK's queues await their own lock's condition (conditions made before the attach):
            // await gives that lock up, so it is no wait while holding
            assertFalse(Files.readString(out).contains("wait-while-holding"), Files.readString(out));
            nfs.stopLoad();
            assertEquals(0, nfs.errors.get() + nfs.verifyErrors.get(), nfs.loadSummary());
        } finally {
            if (watch != null) {
                watch.destroyForcibly();
            }
        }
    }

    @Test
    void badPidIsOneLine() throws Exception {
        for (List<String> args : List.of(List.of("watch", "999999999"), List.of("watch", "abc"))) {
            Launcher.Result r = Launcher.lockdep4j(args.toArray(new String[0]));
            assertEquals(2, r.exitCode(), r.stderr());
            assertEquals(1, r.stderrLines().size(), r.stderr());
            assertTrue(r.stderr().startsWith("lockdep4j: watch: "), r.stderr());
        }
        Launcher.Result help = Launcher.lockdep4j("watch", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("Usage: lockdep4j watch"), help.stdout());
        assertFalse(help.stdout().contains("--agent-jar"), help.stdout());
    }
}
