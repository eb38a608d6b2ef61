package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockdep4j.tests.workloads.BigRecording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: the analyzer streams. A recording three times the size of the analyzer's heap must be
 * analyzed within that heap, with the hazards hidden among millions of events still found. Any
 * per-event list (of parsed events, closes, releases...) would run out of memory here.
 */
class AnalyzerStreamingTest {
    static final int HEAP_MB = 64;

    @TempDir
    Path dir;

    @Test
    void analyzesARecordingThreeTimesItsHeapAndFindsThePlantedHazards() throws Exception {
        Path rec = dir.resolve("big.jfr");
        // generated in a child JVM with larger JFR buffers: a starved recorder thread drops events otherwise
        Launcher.Result gen = Launcher.exec(List.of(Launcher.JAVA, "-XX:FlightRecorderOptions:globalbuffersize=4m,numglobalbuffers=32",
                "-cp", System.getProperty("java.class.path"), BigRecording.class.getName(), rec.toString(), "" + 3 * HEAP_MB), 300);
        assertEquals(0, gen.exitCode(), gen.stderr());
        assertTrue(Files.size(rec) >= 3L * HEAP_MB << 20, "recording too small: " + gen.stdout());

        List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA, "-Xmx" + HEAP_MB + "m", "-jar",
                Launcher.ROOT.resolve("analyzers/target/lockdep4j-analyzers-cli.jar").toString(),
                "analyze", "--format", "json", "--progress", rec.toString())); // stderr is a file: progress only on request
        Launcher.Result a = Launcher.exec(cmd, 300);
        assertEquals(1, a.exitCode(), "expected findings (exit 1); stderr: " + a.stderr());
        JsonNode root = new ObjectMapper().readTree(a.stdout());
        long committed = Long.parseLong(gen.stdout().replaceAll("(?s).*events=(\\d+).*", "$1"));
        long read = root.path("summary").path("lockdepEvents").asLong(-1);
        assertTrue(read > 1_000_000 && read <= committed, "read " + read + " of " + committed + " events: " + root.path("summary"));

        List<String> keys = new ArrayList<>();
        root.path("findings").forEach(f -> keys.add(f.path("key").asText()));
        assertTrue(keys.contains("lock-order-cycle:" + BigRecording.ALPHA + "+" + BigRecording.BETA), keys.toString());
        // blocking-release is keyed by the blocking call site; the release method is one of its paths
        List<String> releases = new ArrayList<>();
        root.path("findings").forEach(f -> {
            if (f.path("rule").asText().equals("blocking-release")) {
                releases.addAll(f.path("paths").findValuesAsText("releaseMethod"));
            }
        });
        assertTrue(releases.contains(BigRecording.ROLL), keys + " " + releases);
        // progress lines on stderr while reading millions of events: a few, not one per event
        long progress = a.stderr().lines().filter(l -> l.startsWith("lockdep4j: read ")).count();
        assertTrue(progress >= 1 && progress <= read / 100_000, a.stderr());
    }
}
