package io.lockdep4j.agent;

import io.lockdep4j.agent.bootstrap.AgentCounters;
import io.lockdep4j.agent.instrumentation.TransformPipeline;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Byte Buddy's transformer, built the first time a class needs it (at a start whose JDK classes all
 * came from the {@link TransformCache}: a hello world never builds it). Building loads about a
 * thousand classes, so it must not happen where a class it needs may be in the middle of loading:
 *
 * <ul>
 * <li>a JDK class being loaded for the first time (the builder may need that very class: a
 *     ClassCircularityError the JVM would remember) is let through unchanged, the build starts on a
 *     daemon thread, and the class is retransformed when it is done;
 * <li>an application class, or any retransformation, builds right here, on this thread;
 * <li>while a build runs, its own thread's classes are let through and retransformed afterwards
 *     (they are the builder's), and other threads wait for it, at most {@link #WAIT_MILLIS}, then
 *     are let through and retransformed too. The agent never deadlocks its host.
 * </ul>
 * A class let through runs uninstrumented until it is retransformed, as every class loaded before
 * the agent's start does until {@code premain} retransforms it.
 */
final class LazyByteBuddy implements ClassFileTransformer {
    static final long WAIT_MILLIS = 10_000;

    private final Instrumentation inst;
    private final Supplier<ClassFileTransformer> factory;
    private final Object lock = new Object();
    private volatile ClassFileTransformer built;
    private Thread builder; // guarded by lock
    private boolean failed; // guarded by lock
    /** Classes let through while no transformer existed: {loader, internal name}; guarded by lock. */
    private final List<Object[]> letThrough = new ArrayList<>();

    LazyByteBuddy(Instrumentation inst, Supplier<ClassFileTransformer> factory) {
        this.inst = inst;
        this.factory = factory;
    }

    boolean isBuilt() {
        return built != null;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        ClassFileTransformer t = transformer(loader, name, redefined);
        return t == null ? null : t.transform(loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        ClassFileTransformer t = transformer(loader, name, redefined);
        return t == null ? null : t.transform(module, loader, name, redefined, domain, bytes);
    }

    /** The built transformer, or null when this class goes through unchanged (and is retransformed later). */
    private ClassFileTransformer transformer(ClassLoader loader, String name, Class<?> redefined) {
        ClassFileTransformer t = built;
        if (t != null) {
            return t;
        }
        boolean buildHere = false;
        synchronized (lock) {
            if (built != null) {
                return built;
            }
            if (failed) {
                return null;
            }
            boolean jdkFirstLoad = redefined == null && TransformCache.jdkLoader(loader);
            if (builder == null && !jdkFirstLoad) {
                builder = Thread.currentThread();
                buildHere = true;
            } else {
                if (builder == null) {
                    startBuilding();
                }
                if (builder != Thread.currentThread() && !jdkFirstLoad) {
                    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
                    long left;
                    while (built == null && !failed && (left = deadline - System.currentTimeMillis()) > 0) {
                        try {
                            lock.wait(left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    if (built != null) {
                        return built;
                    }
                }
                letThrough.add(new Object[] {loader, name});
                TransformPipeline.resultNotCacheable();
                return null;
            }
        }
        build();
        return built;
    }

    /** Starts the build on a daemon thread; called holding the lock. */
    private void startBuilding() {
        Thread t = new Thread(this::build, "lockdep4j Byte Buddy build");
        t.setDaemon(true);
        builder = t;
        t.start();
    }

    private void build() {
        ClassFileTransformer t = null;
        try {
            t = factory.get();
        } catch (Throwable e) {
            AgentCounters.failure("build Byte Buddy's transformer (classes load uninstrumented)", e);
        }
        List<Object[]> retransform;
        synchronized (lock) {
            built = t;
            failed = t == null;
            builder = null;
            lock.notifyAll();
            retransform = new ArrayList<>(letThrough);
            letThrough.clear();
        }
        if (t != null && !retransform.isEmpty()) {
            Thread r = new Thread(() -> retransform(retransform), "lockdep4j retransform");
            r.setDaemon(true);
            r.start();
        }
    }

    /** Retransforms the classes let through during the build, now that they can be instrumented. */
    private void retransform(List<Object[]> classes) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            for (Object[] l : classes) {
                if (c.getClassLoader() == l[0] && c.getName().replace('.', '/').equals(l[1]) && inst.isModifiableClass(c)) {
                    try {
                        inst.retransformClasses(c);
                    } catch (Throwable e) {
                        AgentCounters.failure("retransform " + c.getName(), e);
                    }
                    break;
                }
            }
        }
    }
}
