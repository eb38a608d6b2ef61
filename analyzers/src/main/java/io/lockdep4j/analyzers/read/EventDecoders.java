package io.lockdep4j.analyzers.read;

import static java.util.Map.entry;

import io.lockdep4j.events.EventNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;

/**
 * The one place where event types meet their decoders. A new event type is a record and a decoder
 * in {@link LockEvents} or {@link ReleaseEvents} (or a new family class) plus one line in
 * {@link #DECODERS}; the model then receives the record in {@code ModelBuilder.visitPrepared}.
 *
 * <p>Decoding reads every field the model uses exactly once, typed and named, and it is thread-safe:
 * the reader runs it on its parser thread while the model works on earlier events (see
 * {@link RecordingReader}), so the model thread only reads record components.
 */
public final class EventDecoders {
    private EventDecoders() {}

    /** What the model gets for a lockdep4j event type it does not aggregate (contended, held, context). */
    public static final Object NOT_MODELLED = new Object() {
        @Override
        public String toString() {
            return "(event not modelled)";
        }
    };

    private static final Map<String, EventDecoder> DECODERS = Map.ofEntries(
            entry(EventNames.LOCK_ORDER_EDGE, LockEvents::edge),
            entry(EventNames.LOCK_CHAIN, LockEvents::chain),
            entry(EventNames.AGENT_STATISTICS, LockEvents::statistics),
            entry(EventNames.AGENT_ERROR, LockEvents::error),
            entry(EventNames.LOCK_GRAPH_SUMMARY, SummaryEvents::summary),
            entry(EventNames.LOCK_ORDER_VIOLATION, LockEvents::violation),
            entry(EventNames.FILE_CLOSE, ReleaseEvents::fileClose),
            entry(EventNames.FILE_FORCE, ReleaseEvents::fileForce),
            entry(EventNames.LOCK_INSTANCE_SHARED, ReleaseEvents::lockInstanceShared),
            entry(EventNames.RELEASE, ReleaseEvents::release),
            entry(EventNames.DEFERRED_RUN, ReleaseEvents::deferredRun),
            entry(EventNames.WAIT_WHILE_HOLDING, ReleaseEvents::waitWhileHolding),
            entry(EventNames.SIGNAL, ReleaseEvents::signal),
            entry(EventNames.FILE_OPEN, ReleaseEvents::fileOpen),
            entry(EventNames.RESOURCE_LEAK, ReleaseEvents::resourceLeak),
            entry(EventNames.REFCOUNT_UNDERFLOW, ReleaseEvents::refcountUnderflow),
            entry(EventNames.USE_AFTER_RELEASE, ReleaseEvents::useAfterRelease));

    /** JFR's own event for events it discarded because its buffers were full. */
    static final String JFR_DATA_LOSS = "jdk.DataLoss";

    /** A type's decoder and the fields it lacks; one per type object (one per type and chunk metadata). */
    private record Decoding(EventDecoder decoder, FieldReader.Missing missing) {}

    static final int MAX_TYPES = 4096;
    private static final Map<EventType, Decoding> BY_TYPE = new ConcurrentHashMap<>();

    /** The typed record of a lockdep4j event, or {@link #NOT_MODELLED}; thread-safe. */
    public static Object decode(RecordedEvent e) {
        Decoding d = decoding(e.getEventType());
        return d.decoder == null ? NOT_MODELLED : d.decoder.decode(new FieldReader(e, d.missing));
    }

    /** The bytes a {@code jdk.DataLoss} event says JFR discarded. */
    static long dataLossBytes(RecordedEvent e) {
        return new FieldReader(e, decoding(e.getEventType()).missing).number("amount");
    }

    private static Decoding decoding(EventType type) {
        Decoding d = BY_TYPE.get(type);
        if (d == null) {
            d = new Decoding(DECODERS.get(type.getName()), new FieldReader.Missing());
            if (BY_TYPE.size() >= MAX_TYPES) {
                BY_TYPE.clear(); // many chunks with their own metadata: do not keep them all
            }
            BY_TYPE.put(type, d);
        }
        return d;
    }
}
