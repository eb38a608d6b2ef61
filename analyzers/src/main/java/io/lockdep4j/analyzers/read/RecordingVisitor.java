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

    /**
     * Work on one event that needs nothing but the event, done before {@link #visitPrepared} and
     * possibly on another thread (the reader's parser thread), overlapping with the visiting of
     * earlier events. Must be thread-safe. The default passes the event on unchanged.
     */
    default Object prepare(RecordedEvent event) {
        return event;
    }

    /**
     * Called in event order on the reading thread with what {@link #prepare} returned, or with the
     * unprepared {@link RecordedEvent} itself: the reader skips {@code prepare} when its parser
     * thread is the slower side. By default {@link #event}.
     */
    default void visitPrepared(int index, Object prepared) {
        event(index, (RecordedEvent) prepared);
    }

    /**
     * Something the reader could not read, said in one line, for a recording read on anyway (a JFR
     * repository left by a killed JVM: an unfinished or unreadable chunk). {@code lost}: events of
     * the recording are missing because of it.
     */
    default void readWarning(int index, String message, boolean lost) {}

    /** Called after the last event of recording {@code index}. */
    default void endRecording(int index, Path path, long events, long lockdepEvents) {}
}
