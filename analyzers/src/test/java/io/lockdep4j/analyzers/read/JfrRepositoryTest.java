package io.lockdep4j.analyzers.read;

import static io.lockdep4j.analyzers.testing.Emit.edge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.app.App;
import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.testing.Jfr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories as inputs: JFR repositories (root, per-start directory, chunk file) and directories of recordings. */
class JfrRepositoryTest {
    @TempDir
    Path tmp;

    Path chunk(Path dir, String name, String held, String acquired) throws Exception {
        Files.createDirectories(dir);
        return Jfr.record(dir.resolve(name), () -> Jfr.onThread("t-" + held, () -> App.nested(edge(held, acquired))));
    }

    @Test
    void aRepositoryRootIsOneRecordingPerStartDirectoryMadeOfItsChunksInOrder() throws Exception {
        Path start = tmp.resolve("repo/2026_01_01_00_00_00_77");
        chunk(start, "2026_01_01_00_00_00.jfr", "X", "Y");
        chunk(start, "2026_01_01_00_00_05.jfr", "Y", "X");
        chunk(tmp.resolve("repo/2026_01_01_01_00_00_78"), "2026_01_01_01_00_00.jfr", "P", "Q");
        List<JfrRepository.Source> sources = JfrRepository.sources(tmp.resolve("repo"));
        assertEquals(2, sources.size(), sources.toString());
        assertEquals(start, sources.get(0).path());
        assertEquals(2, sources.get(0).files().size());
        assertEquals(sources.get(0), JfrRepository.sources(start).get(0));

        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(tmp.resolve("repo")));
        assertEquals(2, r.model().recordings().size());
        assertEquals(1, r.findings().size(), r.findings().toString()); // X -> Y and Y -> X: two chunks of one JVM
        assertTrue(r.findings().get(0).key().contains("X+Y"), r.findings().get(0).key());
    }

    @Test
    void aCutOffChunkIsOneWarningAndTheOthersAreRead() throws Exception {
        Path start = tmp.resolve("2026_01_01_00_00_00_77");
        chunk(start, "2026_01_01_00_00_00.jfr", "X", "Y");
        Path second = chunk(start, "2026_01_01_00_00_05.jfr", "Y", "X");
        byte[] b = Files.readAllBytes(second);
        Files.write(second, Arrays.copyOf(b, b.length / 2));
        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(start));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("2026_01_01_00_00_05.jfr: cut off")), r.warnings().toString());
        assertTrue(r.model().incomplete());
        assertEquals(1, r.model().edgeCount(), "the readable chunk's edge");

        // a chunk file given directly is read leniently too
        AnalysisResult one = Analyzer.withDefaults().analyze(List.of(start.resolve("2026_01_01_00_00_00.jfr")));
        assertEquals(1, one.model().edgeCount());
    }

    @Test
    void aDirectoryOfRecordingsIsOneRecordingPerFileAndAnEmptyOneIsAnError() throws Exception {
        chunk(tmp.resolve("runs"), "hotspot-pid-1.jfr", "A", "B");
        chunk(tmp.resolve("runs"), "hotspot-pid-2.jfr", "B", "A");
        List<JfrRepository.Source> sources = JfrRepository.sources(tmp.resolve("runs"));
        assertEquals(2, sources.size());
        assertTrue(sources.stream().noneMatch(JfrRepository.Source::repository));
        AnalysisResult r = Analyzer.withDefaults().analyze(List.of(tmp.resolve("runs")));
        assertEquals(1, r.findings().size(), "the two halves of the cycle ran in two JVMs");

        Files.createDirectories(tmp.resolve("empty"));
        BadRecordingException e = assertThrows(BadRecordingException.class, () -> JfrRepository.sources(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("no .jfr file and no JFR repository chunks"), e.getMessage());
    }

    @Test
    void anUnflushedChunkIsSkippedWithANote() throws Exception {
        byte[] header = new byte[68];
        header[0] = 'F';
        header[1] = 'L';
        header[2] = 'R';
        java.nio.ByteBuffer.wrap(header).putLong(8, 68); // only its header: JFR never flushed it
        header[64] = 1;
        Path c = tmp.resolve("2026_01_01_00_00_00.jfr");
        Files.write(c, header);
        List<String> notes = new ArrayList<>();
        assertEquals(null, JfrRepository.readableChunk(c, tmp.resolve("t"), notes));
        assertTrue(notes.get(0).contains("before JFR flushed this chunk for the first time"), notes.toString());
    }
}
