package io.lockdep4j.agent.bootstrap;

import java.lang.ref.WeakReference;

/**
 * A bounded map from object identity to a value, with weak keys: the agent never keeps a task, a
 * stream or a condition alive. Reads and writes take a private monitor (this package is never
 * instrumented, so that is safe); {@link #isEmpty()} is a volatile read, so hot paths that only
 * need "is anything tagged at all?" pay nothing else. When full of live entries, new entries are
 * counted in {@link #dropped} and ignored.
 */
final class WeakIdentityTable {
    private static final class Entry extends WeakReference<Object> {
        Object value;
        Entry(Object key, Object value) {
            super(key);
            this.value = value;
        }
    }

    private final Object lock = new Object();
    private final int maxCapacity;
    private Entry[] table;
    private int used;            // slots holding an entry (live, cleared or removed tombstone)
    private volatile int live;   // entries put and not removed (cleared ones counted until rebuild)
    volatile long dropped;

    WeakIdentityTable(int initialCapacity, int maxCapacity) {
        this.table = new Entry[initialCapacity];
        this.maxCapacity = maxCapacity;
    }

    private static final Entry TOMBSTONE = new Entry(null, null);

    private static int slot(Object o, int mask) {
        int h = System.identityHashCode(o);
        h ^= (h >>> 16);
        h *= 0x85ebca6b;
        h ^= (h >>> 13);
        return h & mask;
    }

    boolean isEmpty() {
        return live == 0;
    }

    int size() {
        return live;
    }

    Object get(Object key) {
        if (key == null || live == 0) {
            return null;
        }
        synchronized (lock) {
            int i = find(key);
            return i < 0 ? null : table[i].value;
        }
    }

    /** Removes and returns the value for this key, or null. */
    Object remove(Object key) {
        if (key == null || live == 0) {
            return null;
        }
        synchronized (lock) {
            int i = find(key);
            if (i < 0) {
                return null;
            }
            Object v = table[i].value;
            table[i].clear();
            table[i].value = null;
            table[i] = TOMBSTONE;
            live--;
            return v;
        }
    }

    /** Puts or replaces; returns false (and counts a drop) when the table is full of live keys. */
    boolean put(Object key, Object value) {
        if (key == null) {
            return false;
        }
        synchronized (lock) {
            int i = find(key);
            if (i >= 0) {
                table[i].value = value;
                return true;
            }
            if ((used + 1) * 2 > table.length) {
                rebuild();
                if ((used + 1) * 2 > table.length) {
                    dropped++;
                    return false;
                }
            }
            Entry[] t = table;
            int mask = t.length - 1;
            for (int j = slot(key, mask); ; j = (j + 1) & mask) {
                if (t[j] == null) {
                    t[j] = new Entry(key, value);
                    used++;
                    live++;
                    return true;
                }
            }
        }
    }

    /** Calls the visitor with every live (key, value); under the table's monitor. */
    void forEach(Visitor visitor) {
        synchronized (lock) {
            for (Entry e : table) {
                Object k;
                if (e != null && e != TOMBSTONE && (k = e.get()) != null) {
                    visitor.visit(k, e.value);
                }
            }
        }
    }

    interface Visitor {
        void visit(Object key, Object value);
    }

    private int find(Object key) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = slot(key, mask), n = 0; n < t.length; i = (i + 1) & mask, n++) {
            Entry e = t[i];
            if (e == null) {
                return -1;
            }
            if (e != TOMBSTONE && e.get() == key) {
                return i;
            }
        }
        return -1;
    }

    private void rebuild() {
        Entry[] old = table;
        int n = 0;
        for (Entry e : old) {
            if (e != null && e != TOMBSTONE && e.get() != null) {
                n++;
            }
        }
        int cap = old.length;
        while ((n + 1) * 4 > cap && cap < maxCapacity) {
            cap <<= 1;
        }
        Entry[] t = new Entry[cap];
        int mask = cap - 1;
        for (Entry e : old) {
            Object k;
            if (e != null && e != TOMBSTONE && (k = e.get()) != null) {
                int i = slot(k, mask);
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = e;
            }
        }
        table = t;
        used = n;
        live = n;
    }
}
