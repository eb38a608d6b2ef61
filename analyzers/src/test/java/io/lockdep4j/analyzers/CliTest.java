package io.lockdep4j.analyzers;

import static io.lockdep4j.analyzers.testing.Emit.edge;
import static io.lockdep4j.analyzers.testing.Jfr.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.app.App;
import io.lockdep4j.analyzers.read.NoLockdepEventsException;
import io.lockdep4j.analyzers.testing.Jfr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and bad input: one line on stderr, never a stack trace, never a hang. */
class CliTest {
    @TempDir
    Path tmp;

    Path good;
    Path cycle;

    @BeforeEach
    void recordings() throws Exception {
        good = Jfr.record(tmp.resolve("good.jfr"), () -> Jfr.onThread("t", () -> App.nested(edge("X", "Y"))));
        cycle = Jfr.record(tmp.resolve("cycle.jfr"), () -> {
            Jfr.onThread("t1", () -> App.nested(edge("X", "Y")));
            Jfr.onThread("t2", () -> App.nested(edge("Y", "X")));
        });
    }

    static void assertOneLineError(Jfr.Run run, String expected) {
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        String line = run.errLines().get(0);
        assertTrue(line.startsWith("lockdep4j: "), line);
        assertTrue(line.contains(expected), line);
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        assertEquals("", run.out());
    }

    @Test
    void exitCodes() {
        assertEquals(0, cli("analyze", good.toString()).code());
        assertEquals(1, cli("analyze", cycle.toString()).code());
        assertEquals(1, cli("analyze", good.toString(), cycle.toString()).code());
        assertEquals(0, cli("analyze", "--help").code());
        assertEquals(0, cli("--help").code());
        assertEquals(0, cli("--version").code());
    }

    @Test
    void usageErrors() {
        assertOneLineError(cli("frobnicate", good.toString()), "unknown command 'frobnicate'");
        assertOneLineError(cli("run", good.toString()), "unknown command 'run'");
        assertOneLineError(cli(), "missing command");
        assertOneLineError(cli("analyze"), "Missing required parameter");
        assertOneLineError(cli("analyze", "--bogus", good.toString()), "Unknown option: '--bogus'");
        assertOneLineError(cli("analyze", "--format", "xml", good.toString()), "--format");
        assertOneLineError(cli("analyze", "--max-cycle-length", "1", good.toString()), "at least 2");
        assertOneLineError(cli("check", "--include=com.acme.,com acme", good.toString()),
                "--include: 'com acme' is not a package or class name prefix (e.g. com.acme.)");
        assertOneLineError(cli("analyze", "--include=", good.toString()), "--include: '' is not a package");
        assertEquals(0, cli("analyze", "--include=com.acme.,org.example.Store$Inner", good.toString()).code());
    }

    /** {@code --also FORMAT=FILE}: one analysis writes every report, each the same as a run of its own format. */
    @Test
    void alsoWritesTheSameAnalysisInMoreFormats() throws Exception {
        Path text = tmp.resolve("r.txt");
        Path json = tmp.resolve("sub/r.json");
        Path sarif = tmp.resolve("r.sarif");
        Jfr.Run run = cli("analyze", cycle.toString(), "-o", text.toString(), "--also", "json=" + json, "--also", "sarif=" + sarif);
        assertEquals(1, run.code(), run.err());
        assertEquals(Files.readString(text), cli("analyze", cycle.toString()).out());
        Path jsonAlone = tmp.resolve("alone.json");
        assertEquals(1, cli("analyze", cycle.toString(), "--format", "json", "-o", jsonAlone.toString()).code());
        assertEquals(Files.readString(jsonAlone), Files.readString(json));
        assertTrue(Files.readString(sarif).contains("\"lock-order-cycle\""), Files.readString(sarif));
        assertOneLineError(cli("analyze", good.toString(), "--also", "xml=" + tmp.resolve("x")), "--also: unknown format 'xml'");
    }

    @Test
    void missingFile() {
        assertOneLineError(cli("analyze", tmp.resolve("nope.jfr").toString()), "nope.jfr: no such file");
    }

    /** A directory is read (a JFR repository, or a directory of recordings); one with nothing to read is one line. */
    @Test
    void directory() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertOneLineError(cli("analyze", empty.toString()), "no .jfr file and no JFR repository chunks");
    }

    @Test
    void emptyFile() throws Exception {
        Path p = Files.createFile(tmp.resolve("empty.jfr"));
        assertOneLineError(cli("analyze", p.toString()), "empty file");
    }

    @Test
    void truncatedRecordings() throws Exception {
        byte[] all = Files.readAllBytes(cycle);
        for (int n : new int[] {3, 40, 68, 100, all.length / 2, all.length - 1}) {
            Path p = tmp.resolve("trunc-" + n + ".jfr");
            Files.write(p, Arrays.copyOf(all, n));
            Jfr.Run run = cli("analyze", p.toString());
            assertOneLineError(run, p.toString());
            assertTrue(run.err().contains("truncated") || run.err().contains("not a JFR"), run.err());
        }
    }

    @Test
    void randomBytes() throws Exception {
        Path p = tmp.resolve("random.jfr");
        byte[] b = new byte[8192];
        new Random(1).nextBytes(b);
        Files.write(p, b);
        assertOneLineError(cli("analyze", p.toString()), "not a JFR recording");
    }

    @Test
    void randomBytesAfterTheMagic() throws Exception {
        Path p = tmp.resolve("magic.jfr");
        byte[] b = new byte[8192];
        new Random(2).nextBytes(b);
        b[0] = 'F';
        b[1] = 'L';
        b[2] = 'R';
        b[3] = 0;
        Files.write(p, b);
        assertOneLineError(cli("analyze", p.toString()), "magic.jfr");
    }

    @Test
    void textFile() throws Exception {
        Path p = tmp.resolve("notes.jfr");
        Files.writeString(p, "this is not a recording\nsecond line\n", StandardCharsets.UTF_8);
        assertOneLineError(cli("analyze", p.toString()), "not a JFR recording (it looks like a text file");
    }

    @Test
    void recordingWithoutLockdepEvents() throws Exception {
        Path p = Jfr.plain(tmp.resolve("plain.jfr"));
        assertOneLineError(cli("analyze", p.toString()), NoLockdepEventsException.HINT);
        // Mixed with a lockdep4j recording it is analyzed, with a warning in the report.
        Jfr.Run mixed = cli("analyze", p.toString(), cycle.toString());
        assertEquals(1, mixed.code(), mixed.err());
        assertTrue(mixed.out().contains("WARNING: " + p + ": no lockdep4j events"));
    }

    /**
     * Corrupted bytes inside a valid chunk: the parser may or may not notice (it does not check
     * every string), but the analyzer must end quickly with 0, 1, or 2 and one line.
     */
    @Test
    void corruptedRecordingsNeverHangOrDumpStacks() throws Exception {
        byte[] all = Files.readAllBytes(cycle);
        Random random = new Random(42);
        for (int round = 0; round < 40; round++) {
            byte[] b = all.clone();
            int start = 68 + random.nextInt(b.length - 68);
            int len = 1 + random.nextInt(Math.min(64, b.length - start));
            for (int i = start; i < start + len; i++) {
                b[i] = (byte) random.nextInt(256);
            }
            Path p = tmp.resolve("corrupt-" + round + ".jfr");
            Files.write(p, b);
            Jfr.Run run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cli("analyze", p.toString()));
            assertTrue(run.code() >= 0 && run.code() <= 2, "round " + round + ": exit " + run.code() + " " + run.err());
            if (run.code() == 2) {
                assertOneLineError(run, p.toString());
            }
        }
    }

    @Test
    void debugPrintsTheStackTrace() throws Exception {
        Path p = tmp.resolve("notes.jfr");
        Files.writeString(p, "text");
        Jfr.Run run = cli("analyze", "--debug", p.toString());
        assertEquals(2, run.code());
        assertTrue(run.errLines().size() > 1);
        assertTrue(run.errLines().get(0).startsWith("lockdep4j: "));
    }
}
