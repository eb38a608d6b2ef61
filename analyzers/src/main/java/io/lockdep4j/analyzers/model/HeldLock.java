package io.lockdep4j.analyzers.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One lock a thread held, as the agent writes held locks into events: {@code class(mode)}, followed
 * by {@code #instanceHash} where the event carries instances (a lock-order edge's {@code otherHeld}),
 * entries joined with {@code ;}. This class is the only reader of that text. The instance hash is
 * what makes a lock a real gate: two threads serialise on a gate only if they hold the same
 * instance, not merely a lock of the same class.
 *
 * @param instance the identity hash of the held lock, meaningful only when {@code hasInstance}
 * @param hasInstance the text named the instance (the release-path events name only class and mode)
 */
public record HeldLock(String lockClass, String mode, int instance, boolean hasInstance) {

    // Reluctant class name: a lock class may itself contain ';' or '(' (array classes, allocation
    // sites), so an entry ends only where "(mode)" or "(mode)#hash" is followed by ';' or the end.
    private static final Pattern ENTRY = Pattern.compile("(.+?)\\((write|read)\\)(?:#(-?\\d+))?(?:;|$)");

    /** A held lock with its instance, as in {@code otherHeld}. */
    public HeldLock(String lockClass, String mode, int instance) {
        this(lockClass, mode, instance, true);
    }

    /** A held lock known by class and mode only. */
    public static HeldLock withoutInstance(String lockClass, String mode) {
        return new HeldLock(lockClass, mode, 0, false);
    }

    /** Parses held-lock text; unparseable fragments are skipped, never fatal. */
    public static List<HeldLock> parseAll(String s) {
        List<HeldLock> out = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        Matcher m = ENTRY.matcher(s);
        int pos = 0;
        while (pos < s.length() && m.find(pos)) {
            String hash = m.group(3);
            if (hash == null) {
                out.add(withoutInstance(m.group(1), m.group(2)));
            } else {
                try {
                    out.add(new HeldLock(m.group(1), m.group(2), Integer.parseInt(hash)));
                } catch (NumberFormatException ignored) {
                    // a hash that does not fit an int: not something the agent writes; skip it
                }
            }
            pos = m.end();
        }
        return out;
    }

    /** The same lock with its class name replaced by the model's one copy of it. */
    HeldLock withLockClass(String interned) {
        return new HeldLock(interned, mode, instance, hasInstance);
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
        return hasInstance ? lockClass + "(" + mode + ")#" + instance : lockClass + "(" + mode + ")";
    }
}
