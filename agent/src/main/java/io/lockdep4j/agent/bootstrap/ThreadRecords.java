package io.lockdep4j.agent.bootstrap;

import java.lang.ref.WeakReference;

/**
 * Each thread's {@link HeldLocks}, found in a fixed table indexed by thread id before the
 * ThreadLocal that owns it. Every hook reads the current thread's record, two or three times per
 * acquire+release; {@code ThreadLocal.get} probes the thread's ThreadLocalMap, which on a server
 * thread holds many other entries (measured ~5 ns a read on LockBench's JMH threads, against ~1 ns
 * for this table).
 *
 * <p>The ThreadLocal stays the owner: the table is a cache whose slots another thread may overwrite
 * (ids that collide modulo the table size, virtual threads), and then the slow path reads the
 * ThreadLocal again. A slot is trusted only when its record's thread is this very thread (identity,
 * through a WeakReference, so the table never keeps a dead thread, its context class loader or its
 * name alive); the id only picks the slot, so a Thread subclass overriding getId() cannot be given
 * another thread's record. Racy plain stores are safe: {@code HeldLocks.self} is final.
 *
 * <p>Bounded: 4096 slots; what a slot keeps after its thread ended is one small record with cleared
 * arrays (released locks are nulled) until another thread takes the slot.
 */
final class ThreadRecords {
    private ThreadRecords() {}

    private static final int SLOTS = 1 << 12;
    private static final HeldLocks[] BY_ID = new HeldLocks[SLOTS];

    /** The record's owner is initialValue's current thread. */
    static final ThreadLocal<HeldLocks> OWNER = new ThreadLocal<HeldLocks>() {
        @Override
        protected HeldLocks initialValue() {
            Thread t = Thread.currentThread();
            return new HeldLocks(t.getId(), new WeakReference<Thread>(t));
        }
    };

    /** This thread's record. */
    static HeldLocks current() {
        Thread t = Thread.currentThread();
        HeldLocks h = BY_ID[(int) t.getId() & (SLOTS - 1)];
        if (h != null && h.self.get() == t) {
            return h;
        }
        return miss(t);
    }

    private static HeldLocks miss(Thread t) {
        HeldLocks h = OWNER.get();
        BY_ID[(int) t.getId() & (SLOTS - 1)] = h;
        return h;
    }
}
