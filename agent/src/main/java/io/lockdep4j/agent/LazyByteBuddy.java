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
    /**
     * Classes let through while no transformer existed: {loader, internal name, and for a JDK class's
     * first load its module, protection domain and class file}; guarded by lock.
     */
    private final List<Object[]> letThrough = new ArrayList<>();

    private final boolean verbose;
    /** Where a let-through JDK class's first-load transformation is kept once Byte Buddy exists (see {@link #build}). */
    private final TransformPipeline pipeline;

    LazyByteBuddy(Instrumentation inst, Supplier<ClassFileTransformer> factory, boolean verbose, TransformPipeline pipeline) {
        this.inst = inst;
        this.factory = factory;
        this.verbose = verbose;
        this.pipeline = pipeline;
    }

    boolean isBuilt() {
        return built != null;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        ClassFileTransformer t = transformer(null, loader, name, redefined, domain, bytes);
        return t == null ? null : t.transform(loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        ClassFileTransformer t = transformer(module, loader, name, redefined, domain, bytes);
        return t == null ? null : t.transform(module, loader, name, redefined, domain, bytes);
    }

    /** The built transformer, or null when this class goes through unchanged (and is retransformed later). */
    private ClassFileTransformer transformer(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
            byte[] bytes) {
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
            if (verbose && builder == null) { // what a start from the cache pays for: say which class
                System.err.println("lockdep4j: building Byte Buddy for " + (name == null ? "a class without a name" : name.replace('/', '.'))
                        + (redefined != null ? " (a retransformation)" : "") + ", not in the transform cache");
            }
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
                    if (verbose) {
                        System.err.println("lockdep4j: " + name + " loaded uninstrumented: Byte Buddy's build did not finish in "
                                + WAIT_MILLIS + " ms (it is retransformed after the build)");
                    }
                }
                letThrough.add(jdkFirstLoad ? new Object[] {loader, name, module, domain, bytes} : new Object[] {loader, name});
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
        background = t;
        t.start();
    }

    /** The daemon threads of a background build and its retransformation (null: none); see {@link #finishAtExit}. */
    private volatile Thread background;
    private volatile Thread finishing;
    static final long EXIT_WAIT_MILLIS = 5_000;

    /**
     * A shutdown hook: a JVM that exits while a background build (or the caching of the first loads
     * it let through) runs would leave the cache as it found it, and every later JVM like it would
     * miss again and build again (a short program that first loads ThreadPoolExecutor after the
     * start). Waits for both, at most {@link #EXIT_WAIT_MILLIS} each; nothing when no build ran.
     */
    void finishAtExit() {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread b = background;
                    if (b != null) {
                        b.join(EXIT_WAIT_MILLIS);
                    }
                    Thread f = finishing;
                    if (f != null) {
                        f.join(EXIT_WAIT_MILLIS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lockdep4j transform cache at exit"));
        } catch (Throwable e) {
            AgentCounters.failure("register the transform cache's exit hook", e);
        }
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
            ClassFileTransformer built = t;
            Thread r = new Thread(() -> {
                keepFirstLoads(built, retransform);
                retransform(retransform);
            }, "lockdep4j retransform");
            r.setDaemon(true);
            finishing = r;
            r.start();
        }
    }

    /**
     * A JDK class let through at its first load is retransformed below, and that result is cached
     * for a retransformation only: the next JVM, loading it for the first time again, would miss
     * again and build Byte Buddy again, every time (ThreadPoolExecutor in every Surefire fork). So
     * the first-load transformation of the bytes it was loaded from is made here and kept.
     */
    private void keepFirstLoads(ClassFileTransformer built, List<Object[]> classes) {
        if (pipeline == null) {
            return;
        }
        for (Object[] l : classes) {
            if (l.length == 5) {
                try {
                    pipeline.transform(built, (Module) l[2], (ClassLoader) l[0], (String) l[1], null, (ProtectionDomain) l[3], (byte[]) l[4]);
                } catch (Throwable e) {
                    AgentCounters.failure("cache the first load of " + l[1], e);
                }
            }
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
