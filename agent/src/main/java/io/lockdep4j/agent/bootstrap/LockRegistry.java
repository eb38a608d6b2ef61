package io.lockdep4j.agent.bootstrap;

import java.lang.ref.WeakReference;

/**
 * Lock instance → lock class id, for instances whose class is not their Java type (a lock kept
 * in a field, named at its allocation site). Weak keys: a registered lock is never kept alive by
 * the agent. Reads are lock-free; writes take a private monitor. Bounded: when full of live
 * entries, new registrations are counted and dropped (the lock then falls back to its site name).
 */
public final class LockRegistry {
    private LockRegistry() {}

    static final int MAX_CAPACITY = 1 << 21;
    private static final Object lock = new Object();
    private static volatile Entry[] table = new Entry[1 << 12];
    private static int size; // guarded by lock
    public static volatile long dropped;

    private static final class Entry extends WeakReference<Object> {
        final int id;
        Entry(Object referent, int id) {
            super(referent);
            this.id = id;
        }
    }

    private static int slot(Object o, int mask) {
        return slotOf(System.identityHashCode(o), mask);
    }

    private static int slotOf(int h, int mask) {
        h ^= (h >>> 16);
        h *= 0x85ebca6b;
        h ^= (h >>> 13);
        return h & mask;
    }

    /** The class id of this instance, or -1. */
    public static int get(Object o) {
        return get(o, System.identityHashCode(o));
    }

    /**
     * As {@link #get(Object)}, with {@code o}'s identity hash, which the monitor hooks compute once
     * per acquisition: on an inflated monitor (any monitor that was ever contended or waited on)
     * {@code System.identityHashCode} leaves C2's intrinsic for a native call of ~15 ns, because the
     * header then points to the ObjectMonitor.
     */
    static int get(Object o, int identityHash) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = slotOf(identityHash, mask), n = 0; n < t.length; i = (i + 1) & mask, n++) {
            Entry e = t[i];
            if (e == null) {
                return -1;
            }
            if (e.get() == o) {
                return e.id;
            }
        }
        return -1;
    }

    public static void put(Object o, int id) {
        synchronized (lock) {
            Entry[] t = table;
            if ((size + 1) * 2 > t.length) {
                t = rebuild(t);
                if ((size + 1) * 2 > t.length) {
                    dropped++;
                    return;
                }
            }
            int mask = t.length - 1;
            for (int i = slot(o, mask); ; i = (i + 1) & mask) {
                Entry e = t[i];
                if (e == null) {
                    t[i] = new Entry(o, id);
                    size++;
                    return;
                }
                if (e.get() == o) {
                    return; // first name wins
                }
            }
        }
    }

    /** Drops cleared entries and grows when still half full; publishes a new table. */
    private static Entry[] rebuild(Entry[] old) {
        int live = 0;
        for (Entry e : old) {
            if (e != null && e.get() != null) {
                live++;
            }
        }
        int cap = old.length;
        while ((live + 1) * 4 > cap && cap < MAX_CAPACITY) {
            cap <<= 1;
        }
        Entry[] t = new Entry[cap];
        int mask = cap - 1;
        int n = 0;
        for (Entry e : old) {
            Object o;
            if (e != null && (o = e.get()) != null) {
                int i = slot(o, mask);
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = e;
                n++;
            }
        }
        size = n;
        table = t;
        return t;
    }

    /**
     * Live entries: registered instances not yet collected. Not {@code size}, which also counts
     * entries the GC has cleared since the last rebuild (a sawtooth that says nothing about growth;
     * the ten-minute server soak once read it as a leak). A scan of the table, for statistics only.
     */
    public static int size() {
        int live = 0;
        for (Entry e : table) {
            if (e != null && e.get() != null) {
                live++;
            }
        }
        return live;
    }
}
