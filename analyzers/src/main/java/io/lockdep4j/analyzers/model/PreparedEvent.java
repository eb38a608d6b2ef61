package io.lockdep4j.analyzers.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;

/**
 * One lockdep4j event with the fields the model needs already read out of it.
 *
 * <p>Why: {@link RecordedEvent#getValue(String)} scans the type's field list and allocates on
 * every call, which made field access the largest single cost of model building. Reading the
 * fields is independent of the model, so {@link ModelBuilder#prepare} can run on the reader's
 * parser thread, overlapping with the model work on earlier events (the reader does so while the
 * model thread is the slower one); the model thread then only indexes an array. Fields that were not prepared for a type are read from the event on demand,
 * so a field missing from {@link Layout}'s list is slower, never wrong.
 */
final class PreparedEvent {
    final RecordedEvent event;
    final Layout layout;
    private final Object[] values;
    private final long durationNanos;

    private PreparedEvent(RecordedEvent event, Layout layout, Object[] values, long durationNanos) {
        this.event = event;
        this.layout = layout;
        this.values = values;
        this.durationNanos = durationNanos;
    }

    /** Reads the prepared fields of {@code e}; thread-safe (touches nothing but {@code e}). */
    static PreparedEvent of(RecordedEvent e, Layout layout) {
        String[] names = layout.prepared;
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = e.getValue(names[i]);
        }
        return new PreparedEvent(e, layout, values, layout.timed ? e.getDuration().toNanos() : -1);
    }

    String typeName() {
        return layout.typeName;
    }

    /** The field's value, or null when the type has no such field. */
    Object value(String field) {
        Integer slot = layout.slots.get(field);
        if (slot != null) {
            return values[slot];
        }
        return layout.all.contains(field) ? event.getValue(field) : null;
    }

    long durationNanos() {
        return durationNanos >= 0 ? durationNanos : event.getDuration().toNanos();
    }

    /** Which fields of one event type are read up front, and where they go. */
    static final class Layout {
        final String typeName;
        final String[] prepared;
        final Map<String, Integer> slots = new HashMap<>();
        final Set<String> all = new HashSet<>();
        final boolean timed;

        /** @param wanted the fields to read up front when the type has them; @param timed read the duration too */
        Layout(EventType type, List<String> wanted, boolean timed) {
            this.typeName = type.getName();
            this.timed = timed;
            for (ValueDescriptor d : type.getFields()) {
                all.add(d.getName());
            }
            this.prepared = wanted.stream().filter(all::contains).toArray(String[]::new);
            for (int i = 0; i < prepared.length; i++) {
                slots.put(prepared[i], i);
            }
        }
    }
}
