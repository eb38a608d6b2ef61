package io.lockdep4j.analyzers.read;

import java.util.HashSet;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Typed reads of one event's fields, for the decoders. A field the event's type does not have
 * (a recording from an older or newer agent) reads as null, 0 or false instead of failing, so such
 * recordings still load.
 *
 * <p>Why the missing fields are learned rather than looked up: a presence check on every read
 * costs a hash lookup per field and event, while a recording from the current agent has every
 * field. So a read goes straight to the JDK; the first time a type object turns out not to have
 * a field (the JDK throws), the name is remembered for that type ({@link Missing}) and later reads
 * of it return the default at once.
 */
public final class FieldReader {
    private final RecordedEvent event;
    private final Missing missing;

    FieldReader(RecordedEvent event, Missing missing) {
        this.event = event;
        this.missing = missing;
    }

    /** The fields one event type object was found not to have; shared by the parser and model threads. */
    static final class Missing {
        private volatile Set<String> names = Set.of();

        boolean contains(String field) {
            Set<String> n = names;
            return !n.isEmpty() && n.contains(field);
        }

        synchronized void add(String field) {
            Set<String> more = new HashSet<>(names);
            more.add(field);
            names = Set.copyOf(more);
        }
    }

    /** The event itself, for decoders that read fields they do not know by name (statistics). */
    public RecordedEvent event() {
        return event;
    }

    public String string(String field) {
        return value(field) instanceof String s ? s : null;
    }

    public long number(String field) {
        return value(field) instanceof Number n ? n.longValue() : 0;
    }

    /** A @Timespan field in nanoseconds (0 when absent), whether JFR hands it out as a number or a Duration. */
    public long nanos(String field) {
        Object v = value(field);
        return v instanceof java.time.Duration d ? d.toNanos() : v instanceof Number n ? n.longValue() : 0;
    }

    public int integer(String field) {
        return (int) number(field);
    }

    public boolean flag(String field) {
        return value(field) instanceof Boolean b && b;
    }

    /** The thread that committed the event, or null. */
    public RecordedThread thread() {
        return value("eventThread") instanceof RecordedThread t ? t : null;
    }

    /** The stack the event was committed with, or null (stack traces disabled for its type). */
    public RecordedStackTrace stack() {
        return value("stackTrace") instanceof RecordedStackTrace st ? st : null;
    }

    public long durationNanos() {
        return event.getDuration().toNanos();
    }

    private Object value(String field) {
        if (missing.contains(field)) {
            return null;
        }
        try {
            return event.getValue(field);
        } catch (IllegalArgumentException noSuchField) {
            missing.add(field);
            return null;
        }
    }
}
