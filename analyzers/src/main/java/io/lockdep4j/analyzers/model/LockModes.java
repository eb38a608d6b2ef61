package io.lockdep4j.analyzers.model;

import java.util.List;

/**
 * How a held lock is named in report text. Only a read-write lock (ReentrantReadWriteLock,
 * StampedLock) has modes; the agent writes {@code (write)} for every exclusive lock, but a monitor
 * or a ReentrantLock has no "write" mode, so text shows the mode only for kinds that have one
 * (JSON keeps the agent's {@code class(mode)} form).
 */
public final class LockModes {
    private LockModes() {}

    /** True for the lock kinds that have a read and a write mode. */
    public static boolean hasModes(String kind) {
        return "ReentrantReadWriteLock".equals(kind) || "StampedLock".equals(kind);
    }

    /** True when the lock class was seen as a kind that has modes (or its kind is unknown). */
    public static boolean hasModes(LockModel model, String lockClass) {
        var kinds = model.kinds(lockClass);
        return kinds.isEmpty() || kinds.stream().anyMatch(LockModes::hasModes);
    }

    /** {@code X (read)} for a read-write lock, {@code X} otherwise. */
    public static String text(String lockClass, String kind, String mode) {
        return hasModes(kind) ? lockClass + " (" + mode + ")" : lockClass;
    }

    /** {@code X (read)} for a lock class seen as a read-write lock, {@code X} otherwise. */
    public static String text(LockModel model, HeldLock h) {
        return hasModes(model, h.lockClass()) ? h.lockClass() + " (" + h.mode() + ")" : h.lockClass();
    }

    /** Held locks for text, outermost first, or "no locks". */
    public static String held(LockModel model, List<HeldLock> held) {
        if (held.isEmpty()) {
            return "no locks";
        }
        return String.join(", ", held.stream().map(h -> text(model, h)).toList());
    }
}
