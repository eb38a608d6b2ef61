package io.lockdep4j.analyzers.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a lock-order edge's {@code otherHeld} field: another lock the thread held when it
 * took the edge, written by the agent as {@code class(mode)#instanceHash} and joined with
 * {@code ;}. The instance hash is what makes a lock a real gate: two threads serialise on a gate
 * only if they hold the same instance, not merely a lock of the same class.
 */
public record HeldLock(String lockClass, String mode, int instance) {

    // Reluctant class name: a lock class may itself contain ';' or '(' (array classes, allocation
    // sites), so an entry ends only where "(mode)#hash" is followed by ';' or the end.
    private static final Pattern ENTRY = Pattern.compile("(.+?)\\((write|read)\\)#(-?\\d+)(?:;|$)");

    /** Parses an {@code otherHeld} string; unparseable fragments are skipped, never fatal. */
    public static List<HeldLock> parseAll(String s) {
        List<HeldLock> out = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        Matcher m = ENTRY.matcher(s);
        int pos = 0;
        while (pos < s.length() && m.find(pos)) {
            try {
                out.add(new HeldLock(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
            } catch (NumberFormatException ignored) {
                // a hash that does not fit an int: not something the agent writes; skip it
            }
            pos = m.end();
        }
        return out;
    }

    public boolean isWrite() {
        return "write".equals(mode);
    }

    /** Identity of the instance as a gate: class and instance hash. */
    public String gateKey() {
        return lockClass + "#" + instance;
    }

    @Override
    public String toString() {
        return lockClass + "(" + mode + ")#" + instance;
    }
}
