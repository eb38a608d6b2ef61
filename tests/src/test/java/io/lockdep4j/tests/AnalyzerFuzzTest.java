package io.lockdep4j.tests;

import io.lockdep4j.analyzers.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jdk.jfr.Recording;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue "Reliability": bad input never hurts the analyzer. Property-based (jqwik) over a real
 * recording made by the real agent at the start of this test: truncated at any length, with bytes
 * flipped anywhere, random garbage, and files from other tools (a JFR recording without lockdep4j
 * events, a zip, a text file). The CLI runs in-process ({@link Main#run}) under a per-try hang guard.
 * Every try must end in exit 2 with exactly one stderr line starting {@code lockdep4j: }, or, when
 * the damage left a readable recording, in exit 0 or 1. Never exit 3, never a stack trace, never a hang.
 */
class AnalyzerFuzzTest {
    static final int HANG_GUARD_SECONDS = 60;
    static Path dir;
    static byte[] recording;
    static ExecutorService runner;

    @BeforeContainer
    static void recordARealRun() throws Exception {
        dir = Files.createTempDirectory("lockdep4j-fuzz");
        Path rec = dir.resolve("real.jfr");
        Launcher.Result run = Launcher.runScenario(rec, "inversion-reentrant");
        if (run.exitCode() != 0) {
            throw new AssertionError("the workload failed: " + run.stderr());
        }
        recording = Files.readAllBytes(rec);
        runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fuzz-analyze");
            t.setDaemon(true);
            return t;
        });
        Outcome real = analyze(rec);
        if (real.exit != 1) {
            throw new AssertionError("the undamaged recording should show its cycle: " + real);
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        runner.shutdownNow();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    record Outcome(int exit, String stdout, String stderr) {
        List<String> errLines() {
            return stderr.isBlank() ? List.of() : stderr.strip().lines().toList();
        }
    }

    static Outcome analyze(Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Future<Integer> f = runner.submit(() -> Main.run(new String[] {"analyze", file.toString(), "--format", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        try {
            int exit = f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (TimeoutException hang) {
            f.cancel(true);
            throw new AssertionError("the analyzer hung on " + file + " (" + Files.size(file) + " bytes)");
        }
    }

    static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Exit 2 with one readable line, or a readable recording; never 3, never a trace. */
    static void assertHandled(Outcome o, boolean mayBeReadable, String what) {
        boolean noTrace = !o.stderr.contains("\tat ") && !o.stderr.contains("Exception in thread");
        if (!noTrace || o.exit == 3) {
            throw new AssertionError(what + ": exit " + o.exit + ", stderr: " + o.stderr);
        }
        if (o.exit == 2) {
            List<String> lines = o.errLines();
            if (lines.size() != 1 || !lines.get(0).startsWith("lockdep4j: ") || lines.get(0).length() > 400) {
                throw new AssertionError(what + ": exit 2 needs exactly one 'lockdep4j: ' line, got: " + o.stderr);
            }
        } else if (!mayBeReadable || (o.exit != 0 && o.exit != 1)) {
            throw new AssertionError(what + ": exit " + o.exit + ", stderr: " + o.stderr);
        }
    }

    @Property(tries = 60)
    void truncatedRecordings(@ForAll("cuts") int length) throws Exception {
        byte[] cut = java.util.Arrays.copyOf(recording, length);
        Outcome o = analyze(write("truncated.jfr", cut));
        // A JFR file ends in complete chunks only by chance; a cut inside the only chunk is bad input.
        assertHandled(o, true, "truncated to " + length + " of " + recording.length + " bytes");
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, recording.length - 1).edgeCases(c -> c.includeOnly(0, 1, 67, 68));
    }

    @Property(tries = 60)
    void flippedBytes(@ForAll("positions") List<Integer> positions, @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
        byte[] damaged = recording.clone();
        for (int p : positions) {
            damaged[p] ^= (byte) xor;
        }
        assertHandled(analyze(write("flipped.jfr", damaged)), true, "bytes " + positions + " xor " + xor);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, recording.length - 1).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 40)
    void randomGarbage(@ForAll @Size(max = 100_000) byte[] garbage) throws Exception {
        assertHandled(analyze(write("garbage.jfr", garbage)), false, garbage.length + " random bytes");
    }

    @Property(tries = 20)
    void garbageBehindAValidMagic(@ForAll @Size(max = 4096) byte[] tail) throws Exception {
        byte[] bytes = java.util.Arrays.copyOf(recording, 8 + tail.length);
        System.arraycopy(tail, 0, bytes, 8, tail.length);
        assertHandled(analyze(write("magic.jfr", bytes)), false, "the FLR magic and version followed by " + tail.length + " random bytes");
    }

    @Example
    void plainJfrRecordingWithoutTheAgent() throws Exception {
        Path plain = dir.resolve("plain.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ThreadStart");
            r.start();
            Thread t = new Thread(() -> { });
            t.start();
            t.join();
            r.stop();
            r.dump(plain);
        }
        Outcome o = analyze(plain);
        assertHandled(o, false, "a JFR recording with no lockdep4j event");
        if (!o.stderr.contains("agent")) {
            throw new AssertionError("the line should say the agent was missing: " + o.stderr);
        }
    }

    @Example
    void zipFile() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("real.jfr"));
            z.write(recording);
            z.closeEntry();
        }
        assertHandled(analyze(write("recording.zip", zip.toByteArray())), false, "a zip holding a recording");
    }

    @Example
    void textFile() throws Exception {
        assertHandled(analyze(write("notes.txt", "lockdep4j.LockOrderEdge A -> B\n".repeat(100).getBytes(StandardCharsets.UTF_8))),
                false, "a text file");
    }
}
