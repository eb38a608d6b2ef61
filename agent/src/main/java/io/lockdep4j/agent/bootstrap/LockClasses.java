package io.lockdep4j.agent.bootstrap;

import java.util.HashMap;

/**
 * Lock classes, as in Linux lockdep: every lock instance belongs to a class that shares its
 * ordering rules. A class is named by the field that holds the lock
 * ({@code com.acme.NfsFileCache.lruLock}; for base-class fields, lock wrappers, lock subclasses and
 * lock containers see {@link LockRoles}; the README's "How a lock gets its name" is the one list of
 * the formats), else by its allocation site
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
    private static final ClassValue<MonitorClass> MONITOR_BY_CLASS = new ClassValue<MonitorClass>() {
        @Override
        protected MonitorClass computeValue(Class<?> type) {
            return new MonitorClass(type, intern(type.getName(), KIND_MONITOR));
        }
    };

    /**
     * The lock class of the objects of one type used as monitors, and, for a JDK type such as
     * {@code TreeMap} reached through a local or a getter, one lock class per application class that
     * locks it ({@code java.util.TreeMap locked in com.acme.Registry}). Named by the JDK class alone,
     * every TreeMap used as a lock anywhere was one class: Apache SSHD's {@code SecurityUtils} and
     * {@code AbstractSecurityProviderRegistrar} each lock their own TreeMaps, and the merged class
     * made two false cycles. Types whose synchronized methods are traced (jdkMonitors: Hashtable,
     * Vector, ...) keep one class, so a block on one and its own methods stay one lock class.
     */
    static final class MonitorClass {
        final Class<?> type;
        final int id;
        /** Loaded by the bootstrap loader: may be named by a field or a locking class instead. */
        final boolean jdkType;
        /** Whether blocks on this type are named per locking application class. */
        final boolean perSite;
        private int[] siteKeys = new int[0];
        private volatile int[] siteIds = new int[0];

        MonitorClass(Class<?> type, int id) {
            this.type = type;
            this.id = id;
            this.jdkType = type.getClassLoader() == null;
            this.perSite = jdkType && !tracedJdkMonitor(type);
        }

        /** The lock class for a block in site {@code site} (an index from {@link #internSite}). */
        int atSite(int site) {
            if (!perSite) {
                return id;
            }
            int[] ids = siteIds; // volatile read publishes siteKeys written before it
            int[] keys = siteKeys;
            for (int i = 0; i < ids.length && i < keys.length; i++) {
                if (keys[i] == site) {
                    return ids[i];
                }
            }
            return addSite(site);
        }

        private synchronized int addSite(int site) {
            for (int i = 0; i < siteIds.length; i++) {
                if (siteKeys[i] == site) {
                    return siteIds[i];
                }
            }
            int named = intern(type.getName() + " locked in " + siteName(site), KIND_MONITOR);
            int n = siteIds.length;
            int[] keys = java.util.Arrays.copyOf(siteKeys, n + 1);
            int[] ids = java.util.Arrays.copyOf(siteIds, n + 1);
            keys[n] = site;
            ids[n] = named;
            siteKeys = keys;
            siteIds = ids;
            return named;
        }

        private static boolean tracedJdkMonitor(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                if (AgentConfig.tracesJdkMonitors(c.getName(), java.util.Arrays.asList(AgentConfig.jdkMonitors))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final int MAX_SITES = 1 << 16;
    private static final String[] siteNames = new String[MAX_SITES];
    private static final HashMap<String, Integer> siteByName = new HashMap<>();
    private static int siteCount = 1;

    /**
     * The index of an application class that holds {@code synchronized} blocks, for
     * {@code Hooks.monitorEnter(Object, -index)}; 0 when the table is full (then the block is named
     * by the object's class, as before).
     */
    public static int internSite(String lockingClass) {
        synchronized (lock) {
            Integer id = siteByName.get(lockingClass);
            if (id != null) {
                return id;
            }
            if (siteCount >= MAX_SITES) {
                return 0;
            }
            int newId = siteCount++;
            siteNames[newId] = lockingClass;
            siteByName.put(lockingClass, newId);
            return newId;
        }
    }

    static String siteName(int site) {
        synchronized (lock) {
            return siteNames[site];
        }
    }

    /** Monitors on Class objects: static synchronized methods and synchronized (Foo.class). */
    private static final ClassValue<int[]> MONITOR_ON_CLASS = new ClassValue<int[]>() {
        @Override
        protected int[] computeValue(Class<?> type) {
            return new int[] {intern(type.getName() + ".class", KIND_MONITOR)};
        }
    };

    /**
     * {@code java.util.Vector}, once an instance of it was named ({@link #noteNamed}); not the
     * literal {@code Vector.class}, whose first use loads Vector: on the thread that builds Byte
     * Buddy, taking a class-loading lock, while the application's thread waits in Vector's own first
     * load for that build (see LazyByteBuddy).
     */
    private static volatile Class<?> namedVector;

    /** A lock instance of class {@code c} was named ({@code Hooks.name}): its monitor is looked up in the registry. */
    static void noteNamed(Class<?> c) {
        // new Object(), the commonest named lock, returns at the first test
        if (c != Object.class && c != namedVector && c.getClassLoader() == null && c.getName().equals("java.util.Vector")) {
            namedVector = c;
        }
    }

    /** The class of a monitor: a named instance (a plain Object lock kept in a field), or the object's class. */
    static int ofMonitor(Object o) {
        return ofMonitor(o, System.identityHashCode(o));
    }

    /** {@code hash}: o's identity hash (see LockRegistry.get(Object, int)). */
    static int ofMonitor(Object o, int hash) {
        if (o instanceof Class) {
            return MONITOR_ON_CLASS.get((Class<?>) o)[0];
        }
        Class<?> c = o.getClass();
        if (c == Object.class || c == java.util.Hashtable.class || c == namedVector) {
            int id = LockRegistry.get(o, hash);
            if (id >= 0) {
                return id;
            }
        }
        return monitorClass(c).id;
    }

    /** MonitorClass of plain {@code new Object()} locks, the commonest monitor type, without ClassValue.get. */
    private static MonitorClass objectMonitors;

    private static MonitorClass monitorClass(Class<?> c) {
        if (c == Object.class) {
            MonitorClass mc = objectMonitors;
            return mc != null ? mc : (objectMonitors = MONITOR_BY_CLASS.get(c));
        }
        return MONITOR_BY_CLASS.get(c);
    }

    /**
     * See Hooks.monitorEnter(Object, int): JDK-typed objects are named by the field they were read
     * from ({@code id > 0}), or, reached through a local or a getter, per locking class
     * ({@code id < 0}, see {@link MonitorClass}); a named instance keeps its name.
     */
    static int ofMonitorInField(Object o, int hash, int id) {
        if (id == 0 || o instanceof Class) {
            return ofMonitor(o, hash);
        }
        Class<?> c = o.getClass();
        MonitorClass mc = null;
        if (c != Object.class) { // new Object(), the commonest lock, is a JDK type: no ClassValue.get (~3 ns)
            mc = MONITOR_BY_CLASS.get(c);
            if (!mc.jdkType) {
                return mc.id; // an application type: named by its class, as ofMonitor does
            }
        }
        int named = LockRegistry.get(o, hash);
        if (named >= 0) {
            return named;
        }
        return id > 0 ? id : (mc != null ? mc : monitorClass(c)).atSite(-id);
    }

    /**
     * The class of a java.util.concurrent lock: named at its allocation site if the agent saw it
     * created, else named (once per instance) by the first frame outside the lock package that
     * takes it. A lock first taken in a method while this thread holds another lock first taken in
     * that same method is another role (two fields' locks nested in one method, both created
     * before an attach), not a second instance of the first: it is named by its line too, or the
     * two would be one lock class and their inversion a self-edge.
     */
    static int ofLock(HeldLocks h, Object lock, Object identity, int identityHash, byte kind) {
        int id = identity == lock ? LockRegistry.get(lock, identityHash) : LockRegistry.get(lock);
        if (id >= 0) {
            return id;
        }
        if (identity != lock) {
            id = LockRegistry.get(identity, identityHash);
            if (id >= 0) {
                return id;
            }
        }
        StackTraceElement site = firstCallerOutsideLocks();
        String name = KIND_NAMES[kind] + " locked in " + (site == null ? "<unknown>" : site.getClassName() + "." + site.getMethodName());
        id = intern(name, kind);
        if (id > 0 && site != null && holds(h, id)) {
            id = intern(name + " (line " + site.getLineNumber() + ")", kind);
        }
        LockRegistry.put(identity, id);
        return id;
    }

    private static boolean holds(HeldLocks h, int classId) {
        for (int i = Math.min(h.depth, h.classIds.length) - 1; i >= 0; i--) {
            if (h.classIds[i] == classId) {
                return true;
            }
        }
        return false;
    }

    /**
     * A StackWalker stopped at the first frame outside the agent and the lock package: a server's
     * per-call JDK locks (each Files.newDirectoryStream's ReentrantReadWriteLock, each new
     * LinkedBlockingQueue's two locks) are named here once per instance, and
     * {@code new Throwable().getStackTrace()}, which fills and materializes the whole stack, was
     * 0.65% of the sample NFS server's CPU under load.
     */
    private static StackTraceElement firstCallerOutsideLocks() {
        StackWalker.StackFrame f = CALLER_WALKER.walk(FIRST_OUTSIDE_LOCKS);
        return f == null ? null : f.toStackTraceElement();
    }

    private static final StackWalker CALLER_WALKER = StackWalker.getInstance();
    private static final FirstOutsideLocks FIRST_OUTSIDE_LOCKS = new FirstOutsideLocks();

    /** A named class, not a lambda: bootstrap code has none. */
    private static final class FirstOutsideLocks
            implements java.util.function.Function<java.util.stream.Stream<StackWalker.StackFrame>, StackWalker.StackFrame> {
        @Override
        public StackWalker.StackFrame apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                String c = f.getClassName();
                if (!c.startsWith("io.lockdep4j.agent.") && !c.startsWith("java.util.concurrent.locks.")) {
                    return f;
                }
            }
            return null;
        }
    }
}
