package io.lockdep4j.agent.bootstrap;

/**
 * Locks the JVM takes for the program, which no MONITORENTER shows: a class's initialization lock,
 * held while its static initializer runs (other threads that touch the class wait for it), and a
 * class loader that is not parallel capable, locked around {@code loadClass}. Recorded on the same
 * held-lock stack as every other lock, so the edges into and out of them are ordinary lock-order
 * edges.
 *
 * <p>Names: {@code <clinit> com.acme.Config} for the initialization of Config (by class name
 * alone, so the same class defined by two loaders, or in two JVM runs, is one lock class: each
 * loader initializes its copy once, and only together do the runs show both orders); a class
 * loader by its class, the same lock class as a {@code synchronized (loader)} in application code.
 */
public final class JvmLockHooks {
    private JvmLockHooks() {}

    /**
     * One initialization lock per class object (so per defining loader): the identity on the held
     * stack. Not the Class itself: {@code synchronized (Config.class)} is another lock, and a
     * static synchronized method called from the initializer is a real nesting of the two.
     */
    static final class InitLock {
        final int classId;

        InitLock(int classId) {
            this.classId = classId;
        }
    }

    private static final ClassValue<InitLock> INIT_LOCKS = new ClassValue<InitLock>() {
        @Override
        protected InitLock computeValue(Class<?> type) {
            return new InitLock(LockClasses.intern("<clinit> " + type.getName(), LockClasses.KIND_MONITOR));
        }
    };

    private static final int CLASS_INIT_ENTER = 0;
    private static final int CLASS_INIT_EXIT = 1;
    private static final int LOADER_LOCK_ENTER = 2;
    private static final int LOADER_LOCK_EXIT = 3;
    private static final String[] HOOK_NAMES = {"classInitEnter", "classInitExit", "loaderLockEnter", "loaderLockExit"};

    /** At the start of a static initializer (advice on {@code <clinit>}). */
    public static void classInitEnter(Class<?> type) {
        if (Hooks.active && type != null) {
            record(CLASS_INIT_ENTER, type);
        }
    }

    /** At the end of a static initializer, normal or by an exception. */
    public static void classInitExit(Class<?> type) {
        if (Hooks.active && type != null) {
            record(CLASS_INIT_EXIT, type);
        }
    }

    /**
     * At {@code ClassLoader.loadClass} entry: on a loader that is not parallel capable, the JVM
     * locks the loader before it calls loadClass, and loadClass locks it again
     * (getClassLoadingLock returns the loader itself). Returns whether the acquisition was recorded,
     * for {@link #loaderLockExit}.
     */
    public static boolean loaderLockEnter(ClassLoader loader) {
        return Hooks.active && loader != null && !parallelCapable(loader) && record(LOADER_LOCK_ENTER, loader);
    }

    public static void loaderLockExit(ClassLoader loader) {
        if (Hooks.active && loader != null) {
            record(LOADER_LOCK_EXIT, loader);
        }
    }

    /**
     * One hook's work under the thread's busy flag (ClassValue lookups and interning included: they
     * may load classes, whose transformation must not record the agent's own locking). Returns
     * whether it was recorded; a failure is contained and counted under the hook's name.
     */
    private static boolean record(int hook, Object target) {
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return false;
        }
        h.busy = true;
        try {
            switch (hook) {
                case CLASS_INIT_ENTER: {
                    InitLock l = INIT_LOCKS.get((Class<?>) target);
                    Hooks.acquire(h, l, l.classId, Hooks.WRITE, false);
                    break;
                }
                case CLASS_INIT_EXIT:
                    Hooks.release(h, INIT_LOCKS.get((Class<?>) target), Hooks.WRITE);
                    break;
                case LOADER_LOCK_ENTER:
                    if (Hooks.reentered(h, target, Hooks.WRITE) == 0) {
                        int hash = System.identityHashCode(target);
                        Hooks.acquireFirst(h, target, hash, LockClasses.ofMonitor(target, hash), Hooks.WRITE, false, false);
                    }
                    break;
                default:
                    Hooks.release(h, target, Hooks.WRITE);
                    break;
            }
            return true;
        } catch (Throwable t) {
            AgentCounters.failure(HOOK_NAMES[hook], t);
            return false;
        } finally {
            h.busy = false;
        }
    }

    /**
     * Per loader class, decided at the first instance seen: a loader registers itself in its static
     * initializer, before its first instance exists, and each instance fixes its locking at
     * construction. Cached because isRegisteredAsParallelCapable takes a global JDK lock, and
     * ClassLoader's parallelLockMap field is hidden from Byte Buddy's view of the loaded class.
     */
    private static final ClassValue<byte[]> PARALLEL = new ClassValue<byte[]>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            return new byte[1]; // 0 unknown, 1 parallel capable, 2 not
        }
    };

    private static boolean parallelCapable(ClassLoader loader) {
        byte[] state = PARALLEL.get(loader.getClass());
        if (state[0] == 0) {
            state[0] = loader.isRegisteredAsParallelCapable() ? (byte) 1 : (byte) 2;
        }
        return state[0] == 1;
    }
}
