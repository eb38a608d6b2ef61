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
 * thousand classes, so it runs on its own daemon thread, never inside the transform that needed it:
 *
 * <ul>
 * <li>built on the thread that needed it, the build's own class loads would bypass every
 *     transformer ({@code java.lang.instrument} does not reenter a thread's transform): a JDK class
 *     Byte Buddy loads (Vector) then ran uninstrumented for the rest of the JVM's life;
 * <li>the thread that needs it waits until the build is done <em>and</em> the classes the build
 *     let through (the builder's own, loaded while no transformer existed) are instrumented, so an
 *     application that goes on uses instrumented classes (a JDK class let through at its first load
 *     used to run uninstrumented until a later retransformation: a program's Vector, first loaded
 *     while nothing else missed the cache, lost its lock-order edges);
 * <li>the wait is bounded: at most {@link #WAIT_MILLIS}, and given up when the builder makes no
 *     progress for {@link #STALL_MILLIS} (it may need the very class this thread is loading, and
 *     waits for it in the JVM). The class is then let through and retransformed after the build.
 *     The agent never deadlocks its host.
 * </ul>
 */
final class LazyByteBuddy implements ClassFileTransformer {
    static final long WAIT_MILLIS = 10_000;
    static final long STALL_MILLIS = 1_000;

    private final Instrumentation inst;
    private final Supplier<ClassFileTransformer> factory;
    private final Object lock = new Object();
    /** Byte Buddy's transformer once built; the builder thread uses it before {@link #ready}. */
    private volatile ClassFileTransformer built;
    /** {@link #built}, once the classes let through during the build are instrumented: what every thread uses. */
    private volatile ClassFileTransformer ready;
    private volatile Thread builder; // written under lock
    /** Classes the builder thread has shown the transformer: a builder that stops loading classes waits for one. */
    private volatile long builderProgress;
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

    /** Told of every class the front transformer sees, before anything else: the builder's progress. */
    void saw() {
        if (Thread.currentThread() == builder) {
            builderProgress++; // one writer: the builder
        }
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
        ClassFileTransformer t = ready;
        if (t != null) {
            return t;
        }
        Thread me = Thread.currentThread();
        synchronized (lock) {
            if (ready != null) {
                return ready;
            }
            if (failed) {
                return null;
            }
            boolean jdkFirstLoad = redefined == null && TransformCache.jdkLoader(loader);
            if (me == builder) {
                if (built != null) {
                    return built; // instrumenting what the build let through
                }
                return letThrough(jdkFirstLoad, module, loader, name, domain, bytes); // a class the build itself loads
            }
            if (builder == null) {
                if (verbose) { // what a start from the cache pays for: say which class
                    System.err.println("lockdep4j: building Byte Buddy for " + (name == null ? "a class without a name" : name.replace('/', '.'))
                            + (redefined != null ? " (a retransformation)" : "") + ", not in the transform cache");
                }
                startBuilding();
            }
            String gaveUp = await();
            if (ready != null) {
                return ready;
            }
            if (failed) {
                return null;
            }
            if (verbose) {
                System.err.println("lockdep4j: " + name + " loaded uninstrumented: Byte Buddy's build " + gaveUp
                        + " (it is retransformed after the build)");
            }
            return letThrough(jdkFirstLoad, module, loader, name, domain, bytes);
        }
    }

    /** Waits (holding the lock) until the transformer is ready or the build failed; else says why it gave up. */
    private String await() {
        long start = System.currentTimeMillis();
        long progress = builderProgress;
        long progressAt = start;
        while (ready == null && !failed) {
            long now = System.currentTimeMillis();
            if (builderProgress != progress) {
                progress = builderProgress;
                progressAt = now;
            }
            if (now - start >= WAIT_MILLIS) {
                return "did not finish in " + WAIT_MILLIS + " ms";
            }
            if (now - progressAt >= STALL_MILLIS) {
                return "made no progress for " + STALL_MILLIS + " ms (it may need this class)";
            }
            try {
                lock.wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "was interrupted";
            }
        }
        return null;
    }

    /** Notes a class going through unchanged, to be retransformed once the build is done; called holding the lock. */
    private ClassFileTransformer letThrough(boolean jdkFirstLoad, Module module, ClassLoader loader, String name, ProtectionDomain domain,
            byte[] bytes) {
        letThrough.add(jdkFirstLoad ? new Object[] {loader, name, module, domain, bytes} : new Object[] {loader, name});
        TransformPipeline.resultNotCacheable();
        return null;
    }

    /** Starts the build on a daemon thread; called holding the lock. */
    private void startBuilding() {
        Thread t = new Thread(this::build, "lockdep4j Byte Buddy build");
        t.setDaemon(true);
        builder = t;
        background = t;
        t.start();
    }

    /** The daemon thread of a build and the instrumenting of what it let through (null: none); see {@link #finishAtExit}. */
    private volatile Thread background;
    static final long EXIT_WAIT_MILLIS = 5_000;

    /**
     * A shutdown hook: a JVM that exits while a build (or the caching of the first loads it let
     * through) runs would leave the cache as it found it, and every later JVM like it would miss
     * again and build again (a short program that first loads ThreadPoolExecutor after the start).
     * Waits for it, at most {@link #EXIT_WAIT_MILLIS}; nothing when no build ran.
     */
    void finishAtExit() {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread b = background;
                    if (b != null) {
                        b.join(EXIT_WAIT_MILLIS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lockdep4j transform cache at exit"));
        } catch (Throwable e) {
            AgentCounters.failure("register the transform cache's exit hook", e);
        }
    }

    /**
     * On the builder thread: builds, instruments what was let through meanwhile (still the builder:
     * its retransformations get {@link #built}), then lets every thread use it, and instruments what
     * threads that gave up waiting let through in the meantime.
     */
    private void build() {
        ClassFileTransformer t = null;
        try {
            t = factory.get();
        } catch (Throwable e) {
            AgentCounters.failure("build Byte Buddy's transformer (classes load uninstrumented)", e);
        }
        List<Object[]> pending;
        synchronized (lock) {
            built = t;
            failed = t == null;
            pending = takeLetThrough();
            if (failed) {
                builder = null;
                lock.notifyAll();
                return;
            }
        }
        instrument(t, pending);
        synchronized (lock) {
            ready = t;
            builder = null;
            lock.notifyAll();
            pending = takeLetThrough();
        }
        instrument(t, pending);
    }

    /** The classes let through so far, and none since; called holding the lock. */
    private List<Object[]> takeLetThrough() {
        List<Object[]> taken = new ArrayList<>(letThrough);
        letThrough.clear();
        return taken;
    }

    private void instrument(ClassFileTransformer t, List<Object[]> classes) {
        if (!classes.isEmpty()) {
            keepFirstLoads(t, classes);
            retransform(classes);
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
                builderProgress++; // not through the front transformer: progress all the same
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
