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

    /** Called after the last event of recording {@code index}. */
    default void endRecording(int index, Path path, long events, long lockdepEvents) {}
}
