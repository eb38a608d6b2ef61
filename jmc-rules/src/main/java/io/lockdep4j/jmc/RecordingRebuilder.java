package io.lockdep4j.jmc;

import io.lockdep4j.events.EventNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.item.IAccessorKey;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.writer.api.Recording;
import org.openjdk.jmc.flightrecorder.writer.api.Recordings;
import org.openjdk.jmc.flightrecorder.writer.api.Type;
import org.openjdk.jmc.flightrecorder.writer.api.TypedValue;
import org.openjdk.jmc.flightrecorder.writer.api.TypedValueBuilder;
import org.openjdk.jmc.flightrecorder.writer.api.Types;

/**
 * Writes the {@code lockdep4j.*} events of a JMC {@link IItemCollection} back into a {@code .jfr}
 * file, so that the analyzers (which read recordings with {@code jdk.jfr.consumer}) can run
 * unchanged on what JMC hands a rule. This is what keeps one implementation of every rule: JMC
 * gives rules parsed items, never the file they came from.
 *
 * <p>Field types come from the event classes in {@code io.lockdep4j.events} (event
 * {@code lockdep4j.Foo} is class {@code FooEvent}), so an {@code int} stays an {@code int}; for an
 * event type with no class here (a newer agent), they are inferred from JMC's attributes. Event
 * threads keep their names and Java thread ids;
 * stack traces are left out (see {@link #fill}).
 */
final class RecordingRebuilder {
    private static final String EVENTS_PACKAGE = "io.lockdep4j.events.";
    private static final java.util.Set<String> IMPLICIT = java.util.Set.of("startTime", "duration", "eventThread", "stackTrace", "endTime");

    private RecordingRebuilder() {}

    /** @return the number of events written */
    static long write(IItemCollection items, Path target) throws IOException {
        long written = 0;
        try (Recording rec = Recordings.newRecording(target)) {
            boolean threadIds = addJavaThreadId(rec);
            Map<String, Type> eventTypes = new HashMap<>();
            Map<String, Map<String, String>> schemas = new HashMap<>();
            for (IItemIterable iterable : items) {
                IType<IItem> type = iterable.getType();
                String name = type.getIdentifier();
                if (!name.startsWith(EventNames.PREFIX)) {
                    continue;
                }
                Map<String, String> schema = schemas.computeIfAbsent(name, n -> schema(n, type));
                Type eventType = eventTypes.computeIfAbsent(name, n -> rec.registerType(n, "jdk.jfr.Event", b -> {
                    // The JDK's parser reads startTime as the first field of every event; the writer's
                    // registerEventType puts stackTrace first, which the JDK misreads. Declare the
                    // implicit fields ourselves, in the JDK's order.
                    b.addField("startTime", Types.Builtin.LONG, f -> f.addAnnotation(Types.JDK.ANNOTATION_TIMESTAMP, "TICKS"))
                            .addField("eventThread", Types.JDK.THREAD)
                            .addField("stackTrace", Types.JDK.STACK_TRACE);
                    schema.forEach((field, javaType) -> b.addField(field, builtin(javaType)));
                }));
                Map<String, IMemberAccessor<?, IItem>> accessors = accessors(type);
                for (IItem item : iterable) {
                    rec.writeEvent(eventType.asValue(v -> fill(rec, threadIds, v, item, schema, accessors)));
                    written++;
                }
            }
        }
        return written;
    }

    /** Field name to Java type name ("int", "java.lang.String"...), implicit fields excluded. */
    private static Map<String, String> schema(String eventName, IType<IItem> type) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            Class<?> c = Class.forName(EVENTS_PACKAGE + eventName.substring(EventNames.PREFIX.length()) + "Event", false,
                    RecordingRebuilder.class.getClassLoader());
            for (ValueDescriptor d : EventType.getEventType(c.asSubclass(jdk.jfr.Event.class)).getFields()) {
                if (!IMPLICIT.contains(d.getName()) && builtinOrNull(d.getTypeName()) != null) {
                    fields.put(d.getName(), d.getTypeName());
                }
            }
            return fields;
        } catch (ClassNotFoundException | ClassCastException e) {
            // an event type this jar does not know: infer the field types from JMC's view of them
        }
        for (IAccessorKey<?> key : type.getAccessorKeys().keySet()) {
            String id = key.getIdentifier();
            if (IMPLICIT.contains(id)) {
                continue;
            }
            if (key.getContentType() == UnitLookup.FLAG) {
                fields.put(id, "boolean");
            } else if (key.getContentType() == UnitLookup.PLAIN_TEXT) {
                fields.put(id, "java.lang.String");
            } else if (key.getContentType() instanceof org.openjdk.jmc.common.unit.KindOfQuantity) {
                fields.put(id, "long");
            }
        }
        return fields;
    }

    private static Types.Builtin builtin(String javaType) {
        return builtinOrNull(javaType);
    }

    private static Types.Builtin builtinOrNull(String javaType) {
        return switch (javaType) {
            case "boolean" -> Types.Builtin.BOOLEAN;
            case "byte" -> Types.Builtin.BYTE;
            case "char" -> Types.Builtin.CHAR;
            case "short" -> Types.Builtin.SHORT;
            case "int" -> Types.Builtin.INT;
            case "long" -> Types.Builtin.LONG;
            case "float" -> Types.Builtin.FLOAT;
            case "double" -> Types.Builtin.DOUBLE;
            case "java.lang.String" -> Types.Builtin.STRING;
            default -> null; // Thread and Class fields: none in our events besides the implicit ones
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, IMemberAccessor<?, IItem>> accessors(IType<IItem> type) {
        Map<String, IMemberAccessor<?, IItem>> out = new HashMap<>();
        for (IAccessorKey<?> key : type.getAccessorKeys().keySet()) {
            IMemberAccessor<?, IItem> a = type.getAccessor((IAccessorKey<Object>) key);
            if (a != null) {
                out.put(key.getIdentifier(), a);
            }
        }
        return out;
    }

    /**
     * The writer's java.lang.Thread type (9.1.2) lacks javaThreadId, which the analyzers use to tell
     * threads apart (without it, two threads' lock orders look like one thread's). The type cannot
     * be redefined through the API, so the field is added to it reflectively before anything is
     * written. If a writer version changes its internals, events keep thread names only.
     */
    @SuppressWarnings("unchecked")
    private static boolean addJavaThreadId(Recording rec) {
        Type thread = rec.getType(Types.JDK.THREAD);
        if (thread.getField("javaThreadId") != null) {
            return true;
        }
        try {
            // registering any type with a field of that name puts the name into the metadata's string table
            rec.registerType("lockdep4j.jmc.ThreadIdName", b -> b.addField("javaThreadId", Types.Builtin.LONG));
            Object field = rec.getTypes().fieldBuilder("javaThreadId", Types.Builtin.LONG).build();
            java.lang.reflect.Field fieldsF = thread.getClass().getDeclaredField("fields");
            java.lang.reflect.Field mapF = thread.getClass().getDeclaredField("fieldMap");
            fieldsF.setAccessible(true);
            mapF.setAccessible(true);
            List<Object> fields = new ArrayList<>((List<Object>) fieldsF.get(thread));
            fields.add(field);
            Map<String, Object> map = new HashMap<>((Map<String, Object>) mapF.get(thread));
            map.put("javaThreadId", field);
            fieldsF.set(thread, java.util.Collections.unmodifiableList(fields));
            mapF.set(thread, java.util.Collections.unmodifiableMap(map));
            return thread.getField("javaThreadId") != null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static void fill(Recording rec, boolean threadIds, TypedValueBuilder v, IItem item, Map<String, String> schema,
                             Map<String, IMemberAccessor<?, IItem>> accessors) {
        // The writer declares startTime, eventThread and stackTrace on every event type but writes
        // them only when given: always give them, or the parser reads the fields out of step.
        Object start = get(accessors, "startTime", item);
        v.putField("startTime", start instanceof IQuantity q ? q.clampedLongValueIn(UnitLookup.EPOCH_NS) : 0L);
        Object thread = get(accessors, "eventThread", item);
        v.putField("eventThread", thread instanceof IMCThread t ? thread(rec, threadIds, t) : rec.getType(Types.JDK.THREAD).nullValue());
        // Stacks are not carried over: the writer (9.1.2) declares jdk.types.StackFrame as a constant
        // pool type, and the JDK's parser then fails on every frame array. Findings keep their lock
        // classes, threads and modes; JMC's Event Browser shows the stacks of the same events.
        v.putField("stackTrace", rec.getType(Types.JDK.STACK_TRACE).nullValue());
        schema.forEach((field, javaType) -> put(v, field, javaType, get(accessors, field, item)));
    }

    private static Object get(Map<String, IMemberAccessor<?, IItem>> accessors, String field, IItem item) {
        IMemberAccessor<?, IItem> a = accessors.get(field);
        return a == null ? null : a.getMember(item);
    }

    private static void put(TypedValueBuilder v, String field, String javaType, Object value) {
        switch (javaType) {
            case "java.lang.String" -> v.putField(field, value == null ? null : value.toString());
            case "boolean" -> v.putField(field, value instanceof Boolean b && b);
            case "float", "double" -> {
                double d = value instanceof IQuantity q ? q.doubleValue() : 0;
                if (javaType.equals("float")) {
                    v.putField(field, (float) d);
                } else {
                    v.putField(field, d);
                }
            }
            case "char" -> v.putField(field, value instanceof Character c ? c : '\0');
            default -> {
                long l = number(value);
                switch (javaType) {
                    case "byte" -> v.putField(field, (byte) l);
                    case "short" -> v.putField(field, (short) l);
                    case "int" -> v.putField(field, (int) l);
                    default -> v.putField(field, l);
                }
            }
        }
    }

    /** A numeric JMC value back in the unit JFR stored it in (nanoseconds, bytes, plain numbers). */
    private static long number(Object value) {
        if (!(value instanceof IQuantity q)) {
            return value instanceof Number n ? n.longValue() : 0;
        }
        Object kind = q.getUnit().getContentType();
        if (kind == UnitLookup.TIMESPAN) {
            return q.clampedLongValueIn(UnitLookup.NANOSECOND);
        }
        if (kind == UnitLookup.TIMESTAMP) {
            return q.clampedLongValueIn(UnitLookup.EPOCH_NS);
        }
        if (kind == UnitLookup.MEMORY) {
            return q.clampedLongValueIn(UnitLookup.BYTE);
        }
        return q.longValue();
    }

    private static TypedValue thread(Recording rec, boolean threadIds, IMCThread t) {
        String name = t.getThreadName() == null ? "" : t.getThreadName();
        long id = t.getThreadId() == null ? -1 : t.getThreadId();
        return rec.getType(Types.JDK.THREAD).asValue(b -> {
            b.putField("javaName", name).putField("osName", name).putField("osThreadId", id);
            if (threadIds) {
                b.putField("javaThreadId", id);
            }
        });
    }
}
