package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.analyzers.model.ThreadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Shared wording and JSON shapes of the release-path rules. */
final class ReleaseText {
    private ReleaseText() {}

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    static List<String> lockClasses(List<HeldLock> held) {
        List<String> out = new ArrayList<>();
        for (HeldLock h : held) {
            if (!out.contains(h.lockClass())) {
                out.add(h.lockClass());
            }
        }
        return out;
    }

    static List<String> strings(List<?> xs) {
        return xs.stream().map(Object::toString).toList();
    }

    /** {@code rule:part1:part2}, each part a sorted '+'-joined set: no lines, no thread names. */
    static String key(String rule, String method, List<String> locks) {
        return rule + ":" + method + (locks.isEmpty() ? "" : ":" + String.join("+", new TreeSet<>(locks)));
    }

    static Map<String, Object> thread(ThreadRef t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("id", t.javaThreadId());
        m.put("recording", t.recording());
        return m;
    }

    /** A stack in a release-path finding's text ({@link StackText}: runs the user does not own collapsed). */
    static void stack(StringBuilder sb, String indent, List<String> stack) {
        StackText.append(sb, indent, indent + "at ", stack);
    }

    static String held(List<HeldLock> held) {
        return held.isEmpty() ? "no locks" : String.join(", ", strings(held));
    }

    /** The JSON shape of a grouped close/force. */
    static Map<String, Object> op(ReleasePaths.Op op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation", op.kind);
        m.put("path", op.path);
        m.put("resourceClass", op.resourceClass);
        m.put("forced", op.forced);
        m.put("heldLocks", strings(op.held));
        m.put("contexts", strings(op.contexts));
        m.put("releaseMethod", op.releaseMethod());
        m.put("deferred", op.deferred);
        m.put("count", op.count());
        m.put("maxBlockingNanos", op.worstNanos());
        m.put("thread", thread(op.thread));
        m.put("stack", op.stack);
        return m;
    }
}
