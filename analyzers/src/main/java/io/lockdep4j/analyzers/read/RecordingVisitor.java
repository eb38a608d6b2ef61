package io.lockdep4j.analyzers.read;

import java.nio.file.Path;
import jdk.jfr.consumer.RecordedEvent;

/**
 * Receives the events of one or more recordings, one at a time, as {@link RecordingReader}
 * streams them. Recordings are numbered from 0 in the order given; event identifiers such as
 * chain ids are only meaningful within one recording, so every callback carries that index.
 */
public interface RecordingVisitor {
    /** Called before the first event of recording {@code index}. */
    default void startRecording(int index, Path path) {}

    /** One {@code lockdep4j.*} event (other events are counted by the reader, not passed on). */
    void event(int index, RecordedEvent event);

    /**
     * A {@code jdk.DataLoss} event: JFR itself discarded {@code bytes} of events (its buffers were
     * full), whatever they were, lockdep4j's included.
     */
    default void jfrDataLoss(int index, long bytes) {}

    /** Called after the last event of recording {@code index}. */
    default void endRecording(int index, Path path, long events, long lockdepEvents) {}
}
