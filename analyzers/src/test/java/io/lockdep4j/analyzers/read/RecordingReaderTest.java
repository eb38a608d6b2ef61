package io.lockdep4j.analyzers.read;

import static io.lockdep4j.analyzers.testing.Emit.edge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.app.App;
import io.lockdep4j.analyzers.testing.Jfr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingReaderTest {
    @TempDir
    Path tmp;

    @Test
    void streamsEventsWithRecordingIndexAndReportsProgress() throws Exception {
        Path one = Jfr.record(tmp.resolve("1.jfr"), () -> Jfr.onThread("t", () -> App.nested(edge("X", "Y"))));
        Path two = Jfr.record(tmp.resolve("2.jfr"), () -> Jfr.onThread("t", () -> App.nested(edge("Y", "Z"))));
        List<String> progress = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        new RecordingReader(progress::add, 1).read(List.of(one, two), (index, e) -> indexes.add(index));
        assertEquals(List.of(0, 0, 1, 1), indexes);
        assertEquals(4, progress.size(), progress.toString());
        assertTrue(progress.get(0).startsWith("read 1 events from "), progress.get(0));
    }

    @Test
    void aBuggyVisitorIsNotReportedAsACorruptFile() throws Exception {
        Path one = Jfr.record(tmp.resolve("1.jfr"), () -> Jfr.onThread("t", () -> App.nested(edge("X", "Y"))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RecordingReader(null).read(List.of(one),
                (index, ev) -> {
                    throw new IllegalStateException("bug");
                }));
        assertEquals("bug", e.getMessage());
    }

    @Test
    void theParserThreadHandsOverTheSameEventsInTheSameOrderAsAOneThreadRead() throws Exception {
        int edges = 3 * RecordingReader.BATCH + 7; // several full batches and a partial one
        Path rec = Jfr.record(tmp.resolve("many.jfr"), () -> Jfr.onThread("t", () -> {
            for (int i = 0; i < edges; i++) {
                edge(edge("L" + i, "M" + i), i);
            }
        }));
        List<String> sequential = new ArrayList<>();
        List<String> pipelined = new ArrayList<>();
        new RecordingReader(null, RecordingReader.PROGRESS_EVERY, false).read(List.of(rec),
                (index, e) -> sequential.add(e.getString("heldLock") + "@" + e.getLong("heldChainId")));
        new RecordingReader(null, RecordingReader.PROGRESS_EVERY, true).read(List.of(rec),
                (index, e) -> pipelined.add(e.getString("heldLock") + "@" + e.getLong("heldChainId")));
        assertEquals(edges, sequential.size());
        assertEquals(sequential, pipelined);
    }

    @Test
    void aBugInPrepareOnTheParserThreadIsNotReportedAsACorruptFile() throws Exception {
        Path one = Jfr.record(tmp.resolve("1.jfr"), () -> Jfr.onThread("t", () -> App.nested(edge("X", "Y"))));
        RecordingVisitor buggy = new RecordingVisitor() {
            @Override
            public Object prepare(jdk.jfr.consumer.RecordedEvent event) {
                throw new IllegalStateException("bug in prepare");
            }

            @Override
            public void event(int index, jdk.jfr.consumer.RecordedEvent event) {
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new RecordingReader(null, RecordingReader.PROGRESS_EVERY, true).read(List.of(one), buggy));
        assertEquals("bug in prepare", e.getMessage());
    }
}
