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
}
