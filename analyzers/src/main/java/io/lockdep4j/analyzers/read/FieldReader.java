package io.lockdep4j.analyzers.read;

import java.util.HashSet;
import java.util.Set;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Typed reads of one event's fields, for the decoders. A field the event's type does not have
 * (a recording from an older or newer agent) reads as null, 0 or false instead of failing, so such
 * recordings still load. Which fields a type has is worked out once per {@link EventType}
 * ({@link #fieldsOf}); reading a value is then one JDK by-name lookup.
 */
public final class FieldReader {
    private final RecordedEvent event;
    private final Set<String> fields;

    FieldReader(RecordedEvent event, Set<String> fields) {
        this.event = event;
        this.fields = fields;
    }

    /** The field names of {@code type}, for {@link #FieldReader}. */
    static Set<String> fieldsOf(EventType type) {
        Set<String> names = new HashSet<>();
        for (ValueDescriptor d : type.getFields()) {
            names.add(d.getName());
        }
        return names;
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
        return fields.contains(field) ? event.getValue(field) : null;
    }
}
