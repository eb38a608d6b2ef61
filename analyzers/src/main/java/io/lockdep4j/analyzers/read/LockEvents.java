package io.lockdep4j.analyzers.read;

import java.util.LinkedHashMap;
import java.util.Map;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * The lock-graph events and the agent's own, as typed records, with their decoders. Components
 * are the event's fields under the same names (see the event classes in {@code io.lockdep4j.events});
 * a field missing from the recording reads as null, 0 or false. Thread and stack stay the parser's
 * objects: the model resolves them once per constant ({@code ValueCache}).
 */
public final class LockEvents {
    private LockEvents() {}

    /** One end of a lock-order edge: the held or the acquired lock. */
    public record LockSide(String lock, String mode, String kind, long chainId, int instance) {}

    /** {@code lockdep4j.LockOrderEdge}: holding {@code held}, the thread acquired {@code acquired}. */
    public record LockOrderEdge(RecordedThread thread, RecordedStackTrace stack, LockSide held, LockSide acquired,
                                boolean trylock, String otherHeld, boolean anotherThread,
                                boolean heldStackOnThisThread, boolean acquiredUnpublished) {}

    /** {@code lockdep4j.LockChain}: the first acquisition of {@code lock} with a given held set. */
    public record LockChain(RecordedThread thread, RecordedStackTrace stack, long chainId, String lock, String kind,
                            String mode, boolean trylock) {}

    /** {@code lockdep4j.AgentStatistics}: version, options and every counter (long field) of the agent. */
    public record AgentStatistics(String version, String options, Map<String, Long> counters, String orderedLockClasses) {}

    /** {@code lockdep4j.AgentError}: one of the agent's own failures. */
    public record AgentError(String kind, String message) {}

    /** {@code lockdep4j.LockOrderViolation}: the agent's online check saw an acquisition close a cycle (onCycle). */
    public record LockOrderViolation(RecordedThread thread, RecordedStackTrace stack, String cycle, String heldLock,
                                     String acquiredLock, String policy, boolean singleThread, String report) {}

    static LockOrderEdge edge(FieldReader f) {
        LockSide held = new LockSide(f.string("heldLock"), f.string("heldMode"), f.string("heldKind"),
                f.number("heldChainId"), f.integer("heldInstance"));
        LockSide acquired = new LockSide(f.string("acquiredLock"), f.string("acquiredMode"), f.string("acquiredKind"),
                f.number("acquiredChainId"), f.integer("acquiredInstance"));
        return new LockOrderEdge(f.thread(), f.stack(), held, acquired,
                f.flag("trylock"), f.string("otherHeld"), f.flag("anotherThread"), f.flag("heldStackOnThisThread"),
                f.flag("acquiredUnpublished"));
    }

    static LockOrderViolation violation(FieldReader f) {
        return new LockOrderViolation(f.thread(), f.stack(), f.string("cycle"), f.string("heldLock"), f.string("acquiredLock"),
                f.string("policy"), f.flag("singleThread"), f.string("report"));
    }

    static LockChain chain(FieldReader f) {
        return new LockChain(f.thread(), f.stack(), f.number("chainId"), f.string("lock"), f.string("kind"),
                f.string("mode"), f.flag("trylock"));
    }

    static AgentStatistics statistics(FieldReader f) {
        // counters are added to the event over time: every long field but the event's own timing is one
        Map<String, Long> counters = new LinkedHashMap<>();
        RecordedEvent e = f.event();
        for (ValueDescriptor d : e.getFields()) {
            String name = d.getName();
            if ("long".equals(d.getTypeName()) && !"startTime".equals(name) && !"duration".equals(name)) {
                counters.put(name, e.getLong(name));
            }
        }
        return new AgentStatistics(f.string("version"), f.string("options"), counters, f.string("orderedLockClasses"));
    }

    static AgentError error(FieldReader f) {
        return new AgentError(f.string("kind"), f.string("message"));
    }
}
