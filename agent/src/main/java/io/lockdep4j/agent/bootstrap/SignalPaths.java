package io.lockdep4j.agent.bootstrap;

/**
 * What a signalling thread "took before" its signal, and which signals the JVM has already reported.
 *
 * <p>A signaller that needs lock L on its way to a notify usually does not hold L at the notify
 * (a dispatcher logs through the logger, releases it, then notifies the buffer). Every release
 * stores its lock class in the thread's small {@link HeldLocks#released} slots; a signal reports
 * them as {@code takenBefore}. Locks a thread takes only after a signal are never part of it.
 *
 * <p>Signals can be hot (a notify per queued item): a signal whose key (the signalled object's
 * lock class or identity, the held chain, the released slots) is already known costs a hash over
 * 16 ints and a table probe, and allocates nothing. The tables are bounded; when one is full, new
 * combinations are dropped and counted ({@link #dropped}).
 */
final class SignalPaths {
    private SignalPaths() {}

    private static final Object LOCK = new Object();
    /** notify/notifyAll and j.u.c signals: (lock class or object, held chain, released slots). */
    private static final LongTable SIGNALS = new LongTable(1 << 14);
    /** Thread and pool-worker ends: (thread or pool identity, released slots). */
    private static final LongTable ENDS = new LongTable(1 << 12);
    static volatile long dropped;

    /** Mixes the released slots into {@code seed}; allocation-free. */
    static long key(long seed, HeldLocks h) {
        long k = seed;
        int[] r = h.released;
        for (int i = 0; i < r.length; i++) {
            if (r[i] != 0) {
                k = HeldLocks.mix(k, r[i], (byte) 0, false);
            }
        }
        return k == 0 ? 1 : k;
    }

    static boolean anyReleased(HeldLocks h) {
        int[] r = h.released;
        for (int i = 0; i < r.length; i++) {
            if (r[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** True the first time a signal key is seen (it is then known); false when known or the table is full. */
    static boolean firstSignal(long key) {
        return first(SIGNALS, key);
    }

    static boolean firstEnd(long key) {
        return first(ENDS, key);
    }

    private static boolean first(LongTable t, long key) {
        if (t.get(key) != 0) {
            return false;
        }
        synchronized (LOCK) {
            if (t.get(key) != 0) {
                return false;
            }
            if (!t.put(key, 1)) {
                dropped++;
                return false;
            }
            return true;
        }
    }

    /** The released slots in the held-lock wire format (HeldLockText), lowest class id first; "" when none. */
    static String takenBefore(HeldLocks h) {
        int[] r = h.released.clone();
        java.util.Arrays.sort(r);
        StringBuilder sb = new StringBuilder();
        for (int v : r) {
            if (v == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(LockClasses.name(v >>> 1)).append('(').append(HeldLockText.modeName((byte) (v & 1))).append(')');
        }
        return sb.toString();
    }
}
