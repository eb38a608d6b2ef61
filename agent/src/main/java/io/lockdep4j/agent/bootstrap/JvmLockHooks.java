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

    /** At the start of a static initializer (advice on {@code <clinit>}). */
    public static void classInitEnter(Class<?> type) {
        if (!Hooks.active || type == null) {
            return;
        }
        HeldLocks h = Hooks.HELD.get();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            InitLock l = INIT_LOCKS.get(type);
            Hooks.acquire(h, l, l.classId, Hooks.WRITE, false);
        } catch (Throwable t) {
            AgentCounters.failure("classInitEnter", t);
        } finally {
            h.busy = false;
        }
    }

    /** At the end of a static initializer, normal or by an exception. */
    public static void classInitExit(Class<?> type) {
        if (!Hooks.active || type == null) {
            return;
        }
        HeldLocks h = Hooks.HELD.get();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            Hooks.release(h, INIT_LOCKS.get(type), Hooks.WRITE);
        } catch (Throwable t) {
            AgentCounters.failure("classInitExit", t);
        } finally {
            h.busy = false;
        }
    }

    /**
     * At {@code ClassLoader.loadClass} entry: on a loader that is not parallel capable, the JVM
     * locks the loader before it calls loadClass, and loadClass locks it again
     * (getClassLoadingLock returns the loader itself). Returns whether the acquisition was recorded,
     * for {@link #loaderLockExit}.
     */
    public static boolean loaderLockEnter(ClassLoader loader) {
        if (!Hooks.active || loader == null || parallelCapable(loader)) {
            return false;
        }
        HeldLocks h = Hooks.HELD.get();
        if (h.busy) {
            return false;
        }
        h.busy = true;
        try {
            Hooks.acquire(h, loader, LockClasses.ofMonitor(loader), Hooks.WRITE, false);
            return true;
        } catch (Throwable t) {
            AgentCounters.failure("loaderLockEnter", t);
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

    public static void loaderLockExit(ClassLoader loader) {
        if (!Hooks.active || loader == null) {
            return;
        }
        HeldLocks h = Hooks.HELD.get();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            Hooks.release(h, loader, Hooks.WRITE);
        } catch (Throwable t) {
            AgentCounters.failure("loaderLockExit", t);
        } finally {
            h.busy = false;
        }
    }
}
