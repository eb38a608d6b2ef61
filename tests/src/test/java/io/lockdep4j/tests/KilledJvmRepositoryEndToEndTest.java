package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Nothing lost", point 2: a JVM killed with SIGKILL never dumps its recording, but JFR's
 * repository, which {@code lockdep4j run} puts next to the recording and keeps, holds what JFR
 * flushed; {@code lockdep4j analyze} (and {@code check}) read a repository root, one JVM's chunk
 * directory or a chunk file, and a cut-off chunk is one warning line, not a failure.
 */
class KilledJvmRepositoryEndToEndTest {
    static final String WORKLOAD = "io.lockdep4j.tests.workloads.KilledMidRun";
    static final String ACCOUNTS = "io.lockdep4j.tests.workloads.KilledMidRun$AccountLock";
    static final String LEDGER = "io.lockdep4j.tests.workloads.KilledMidRun$LedgerLock";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aKilledJvmLeavesItsRepositoryAndTheAnalysisFindsTheCycleInIt() throws Exception {
        Path rec = dir.resolve("rec.jfr");
        Path repo = dir.resolve("rec.repository");
        ProcessBuilder pb = new ProcessBuilder("bash", Launcher.ROOT.resolve("lockdep4j").toString(), "run", "-o", rec.toString(),
                "--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES, WORKLOAD);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path err = dir.resolve("launcher-stderr.txt");
        pb.redirectError(err.toFile());
        Process launcher = pb.start();
        long pid = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("pid ")) {
                    pid = Long.parseLong(line.substring(4).trim());
                }
                if (line.equals("cycle done")) {
                    break;
                }
            }
            assertTrue(pid > 0, "the workload printed its pid; launcher stderr: " + Files.readString(err));
            // a handshake, not a delay: wait until JFR has flushed both edges into the repository
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!bothEdgesFlushed(repo)) {
                assertTrue(System.nanoTime() < deadline, "JFR never flushed the cycle's edges to " + repo);
                Thread.sleep(200);
            }
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook, no dump
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS));
        } finally {
            launcher.destroyForcibly();
        }
        String stderr = Files.readString(err);
        assertEquals(128 + 9, launcher.exitValue(), stderr);
        assertFalse(Files.exists(rec) && Files.size(rec) > 0, "nothing was dumped");
        assertTrue(stderr.contains("no recording was written") && stderr.contains("killed by signal 9"), stderr);
        assertTrue(stderr.contains("JFR's repository is kept in " + repo) && stderr.contains("lockdep4j analyze " + repo), stderr);

        Path startDir = onlyChild(repo);
        Path chunk = onlyChild(startDir);
        for (Path input : List.of(repo, startDir, chunk)) {
            Launcher.Result r = Launcher.lockdep4j("analyze", input.toString(), "--format", "json");
            assertEquals(1, r.exitCode(), input + ": " + r.stderr() + r.stdout());
            JsonNode report = JSON.readTree(r.stdout());
            JsonNode cycle = cycle(report);
            assertTrue(cycle != null, input + ": " + report.path("findings"));
            for (JsonNode e : cycle.path("edges")) {
                assertTrue(e.path("acquireStack").toString().contains("KilledMidRun"), e.toString());
            }
            assertEquals(1, report.path("recordings").size(), report.path("recordings").toString());
            assertEquals((input.equals(chunk) ? chunk : startDir).toString(), report.path("recordings").get(0).path("path").asText());
            assertTrue(report.path("warnings").toString().contains("the JVM ended while writing this chunk"), report.path("warnings").toString());
        }
        Launcher.Result check = Launcher.lockdep4j("check", repo.toString());
        assertEquals(1, check.exitCode(), check.stdout() + check.stderr());
        assertTrue(check.stdout().contains(ACCOUNTS) && check.stdout().contains(LEDGER), check.stdout());

        // a chunk cut off in the middle, next to a readable one: one warning line, the readable one is analyzed
        Path broken = dir.resolve("copy/2026_01_01_00_00_00_4242");
        Files.createDirectories(broken);
        Files.copy(chunk, broken.resolve("2026_01_01_00_00_00.jfr"));
        byte[] bytes = Files.readAllBytes(chunk);
        Files.write(broken.resolve("2026_01_01_00_00_01.jfr"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Launcher.Result cut = Launcher.lockdep4j("analyze", broken.toString());
        assertEquals(1, cut.exitCode(), cut.stdout() + cut.stderr());
        assertTrue(cut.stdout().contains("2026_01_01_00_00_01.jfr: cut off") || cut.stdout().contains("2026_01_01_00_00_01.jfr: the JVM ended"),
                cut.stdout());
        assertTrue(cut.stdout().contains("possible circular locking dependency detected"), cut.stdout());
    }

    /** The twin: a JVM that exits normally dumps its recording and leaves no repository behind. */
    @Test
    void aNormalExitDumpsTheRecordingAndLeavesNoRepository() throws Exception {
        Path rec = dir.resolve("ok.jfr");
        Launcher.Result run = Launcher.runScenario(rec, "inversion-synchronized");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.size(rec) > 0);
        assertFalse(Files.exists(dir.resolve("ok.repository")), "JFR removed its chunks, the launcher the empty directory");
        assertFalse(run.stderr().contains("repository"), run.stderr());
    }

    static JsonNode cycle(JsonNode report) {
        for (JsonNode f : report.path("findings")) {
            String key = f.path("key").asText();
            if (f.path("rule").asText().equals("lock-order-cycle") && key.contains(ACCOUNTS) && key.contains(LEDGER)) {
                return f;
            }
        }
        return null;
    }

    static Path onlyChild(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** Reads a copy of the chunk being written (JFR may append while we read) and looks for both edges. */
    static boolean bothEdgesFlushed(Path repo) throws Exception {
        if (!Files.isDirectory(repo)) {
            return false;
        }
        List<Path> chunks = new ArrayList<>();
        try (Stream<Path> s = Files.walk(repo)) {
            s.filter(p -> p.toString().endsWith(".jfr")).forEach(chunks::add);
        }
        Set<String> edges = new HashSet<>();
        for (Path c : chunks) {
            byte[] b = Files.readAllBytes(c);
            long size = java.nio.ByteBuffer.wrap(b).getLong(8); // the header's chunk size: consistent up to the last flush
            if (size <= 68 || size > b.length) {
                continue;
            }
            Path copy = Files.createTempFile(repo.getParent(), "probe", ".jfr");
            try {
                byte[] consistent = java.util.Arrays.copyOf(b, (int) size);
                consistent[64] = 0; // file state "finished", else JDK 25's parser waits for more
                Files.write(copy, consistent);
                try (RecordingFile f = new RecordingFile(copy)) {
                    while (f.hasMoreEvents()) {
                        RecordedEvent e = f.readEvent();
                        if (e.getEventType().getName().equals("lockdep4j.LockOrderEdge")) {
                            edges.add(e.getString("heldLock") + "->" + e.getString("acquiredLock"));
                        }
                    }
                } catch (Exception notYet) {
                    // not consistent yet: try again after the next flush
                }
            } finally {
                Files.deleteIfExists(copy);
            }
        }
        return edges.contains(ACCOUNTS + "->" + LEDGER) && edges.contains(LEDGER + "->" + ACCOUNTS);
    }
}
