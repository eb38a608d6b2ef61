package io.lockdep4j.agent.bootstrap;

import java.util.HashMap;

/**
 * Lock classes, as in Linux lockdep: every lock instance belongs to a class that shares its
 * ordering rules. A class is named by the field that holds the lock
 * ({@code com.acme.NfsFileCache.lruLock}), else by its allocation site
 * ({@code com.acme.Owner.method:42}), else, for a monitor, by the class of the locked object
 * ({@code com.acme.Session}, or {@code com.acme.Session.class} for a static synchronized method),
 * else by where the lock was first taken ({@code ReentrantLock locked in java.util.concurrent.LinkedBlockingQueue.put}).
 *
 * <p>Ids are dense ints into bounded arrays; id 0 means "not tracked" (the table is full).
 */
public final class LockClasses {
    private LockClasses() {}

    public static final byte KIND_MONITOR = 0;
    public static final byte KIND_REENTRANT_LOCK = 1;
    public static final byte KIND_RW_LOCK = 2;
    public static final byte KIND_STAMPED_LOCK = 3;
    private static final String[] KIND_NAMES = {"monitor", "ReentrantLock", "ReentrantReadWriteLock", "StampedLock"};

    public static final int MAX_CLASSES = 1 << 16;
    private static final String[] names = new String[MAX_CLASSES];
    private static final byte[] kinds = new byte[MAX_CLASSES];
    private static final HashMap<String, Integer> byName = new HashMap<>();
    private static final Object lock = new Object();
    private static int count = 1; // 0 is reserved for "not tracked"
    public static volatile long dropped;

    /** Returns the id of the named class, creating it; 0 when the table is full. */
    public static int intern(String name, byte kind) {
        synchronized (lock) {
            Integer id = byName.get(name);
            if (id != null) {
                return id;
            }
            if (count >= MAX_CLASSES) {
                dropped++;
                return 0;
            }
            int newId = count++;
            names[newId] = name;
            kinds[newId] = kind;
            byName.put(name, newId);
            return newId;
        }
    }

    public static String name(int id) {
        String n = names[id];
        return n == null ? "<untracked>" : n;
    }

    public static String kindName(int id) {
        return KIND_NAMES[kinds[id]];
    }

    public static byte kind(int id) {
        return kinds[id];
    }

    public static int count() {
        synchronized (lock) {
            return count - 1;
        }
    }

    /** Monitor classes by the class of the locked object; computed once per class, no allocation after. */
    private static final ClassValue<int[]> MONITOR_BY_CLASS = new ClassValue<int[]>() {
        @Override
        protected int[] computeValue(Class<?> type) {
            return new int[] {intern(type.getName(), KIND_MONITOR)};
        }
    };

    /** Monitors on Class objects: static synchronized methods and synchronized (Foo.class). */
    private static final ClassValue<int[]> MONITOR_ON_CLASS = new ClassValue<int[]>() {
        @Override
        protected int[] computeValue(Class<?> type) {
            return new int[] {intern(type.getName() + ".class", KIND_MONITOR)};
        }
    };

    /** The class of a monitor: a named instance (a plain Object lock kept in a field), or the object's class. */
    static int ofMonitor(Object o) {
        if (o instanceof Class) {
            return MONITOR_ON_CLASS.get((Class<?>) o)[0];
        }
        Class<?> c = o.getClass();
        if (c == Object.class || c == java.util.Hashtable.class || c == java.util.Vector.class) {
            int id = LockRegistry.get(o);
            if (id >= 0) {
                return id;
            }
        }
        return MONITOR_BY_CLASS.get(c)[0];
    }

    /** See Hooks.monitorEnter(Object, int): JDK-typed objects are named by the field they were read from. */
    static int ofMonitorInField(Object o, int fieldClassId) {
        Class<?> c = o.getClass();
        if (fieldClassId <= 0 || o instanceof Class || c.getClassLoader() != null) {
            return ofMonitor(o);
        }
        int id = LockRegistry.get(o);
        return id >= 0 ? id : fieldClassId;
    }

    /**
     * The class of a java.util.concurrent lock: named at its allocation site if the agent saw it
     * created, else named (once per instance) by the first frame outside the lock package that
     * takes it.
     */
    static int ofLock(Object lock, Object identity, byte kind) {
        int id = LockRegistry.get(lock);
        if (id >= 0) {
            return id;
        }
        if (identity != lock) {
            id = LockRegistry.get(identity);
            if (id >= 0) {
                return id;
            }
        }
        id = intern(KIND_NAMES[kind] + " locked in " + firstCallerOutsideLocks(), kind);
        LockRegistry.put(identity, id);
        return id;
    }

    private static String firstCallerOutsideLocks() {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("io.lockdep4j.agent.") || c.startsWith("java.util.concurrent.locks.")) {
                continue;
            }
            return c + "." + f.getMethodName();
        }
        return "<unknown>";
    }
}
