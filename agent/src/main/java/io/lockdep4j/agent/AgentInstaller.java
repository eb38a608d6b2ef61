package io.lockdep4j.agent;

import io.lockdep4j.agent.bootstrap.AgentConfig;
import io.lockdep4j.agent.bootstrap.AgentCounters;
import io.lockdep4j.agent.bootstrap.GraphSummary;
import io.lockdep4j.agent.bootstrap.Hooks;
import io.lockdep4j.agent.bootstrap.RefcountConfig;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import io.lockdep4j.agent.bootstrap.Statistics;
import io.lockdep4j.agent.instrumentation.ClassScope;
import io.lockdep4j.agent.instrumentation.FactsPublishingTransformer;
import io.lockdep4j.agent.instrumentation.TransformPipeline;
import java.lang.instrument.ClassFileTransformer;
import io.lockdep4j.agent.instrumentation.LockdepInstrumentation;
import io.lockdep4j.events.AgentStatisticsEvent;
import io.lockdep4j.events.LockGraphSummaryEvent;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every {@link LockdepInstrumentation} listed in META-INF/services, with retransformation
 * so that already-loaded JDK lock classes are instrumented too. Runs after the bootstrap jar is on
 * the bootstrap class path (see {@link Lockdep4jAgent}).
 */
public final class AgentInstaller {
    private AgentInstaller() {}

    public static void install(String args, Instrumentation inst, boolean attached) {
        AgentOptions options = AgentOptions.parse(args);
        for (String problem : options.problems()) {
            System.err.println("lockdep4j: " + problem + "; ignored");
        }
        AgentConfig.version = versionOf();
        AgentConfig.options = options.raw;
        AgentConfig.orderedLockClasses = String.join(";", options.orderedLockClasses);
        AgentConfig.contendedThresholdNanos = options.contendedThresholdMs < 0 ? -1 : options.contendedThresholdMs * 1_000_000L;
        AgentConfig.holdThresholdNanos = Math.max(0, options.holdThresholdMs) * 1_000_000L;
        AgentConfig.maxHeldDepth = options.maxHeldDepth;
        AgentConfig.onCycle = options.onCycle;
        AgentConfig.jdkMonitors = options.jdkMonitors();
        AgentCounters.verbose = options.verbose;
        AgentConfig.contextThresholdNanos = options.contextThresholdMs < 0 ? -1 : options.contextThresholdMs * 1_000_000L;
        AgentConfig.waitThresholdNanos = Math.max(0, options.waitThresholdMs) * 1_000_000L;
        AgentConfig.syncAtCallSites = io.lockdep4j.agent.instrumentation.FileDescriptorSyncInstrumentation.syncIsNative();
        RefcountConfig.set(refcountInitials(options));

        // java.base code calls into the bootstrap runtime from inlined advice: let it read that module
        Module runtime = Hooks.class.getModule();
        inst.redefineModule(Object.class.getModule(), Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
        // and so does JFR's shutdown hook, which reports leaked handles before the dump
        inst.redefineModule(FlightRecorder.class.getModule(), Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());

        // Load the JDK lock classes now so that they are retransformed, never transformed while
        // loading: a first load inside the transformer's own work ends in ClassCircularityError.
        for (Class<?> c : new Class<?>[] {java.util.concurrent.locks.ReentrantLock.class,
                java.util.concurrent.locks.ReentrantReadWriteLock.class,
                java.util.concurrent.locks.ReentrantReadWriteLock.ReadLock.class,
                java.util.concurrent.locks.ReentrantReadWriteLock.WriteLock.class,
                java.util.concurrent.locks.StampedLock.class}) {
            c.getName();
        }

        // Likewise the hooks' per-thread state classes: loaded first inside a hook, their loading
        // runs the transformer, whose listener asks for this thread's HeldLocks again: a
        // ClassCircularityError that the JVM remembers, so every later hook fails and the recording
        // stays empty (seen when the agent's unshaded classes are also on the application class path).
        // The same for every hook concern's per-thread state and the hook classes that one hook
        // calls from inside another (loaded there, they would load under the busy flag).
        for (String c : new String[] {"ThreadRecords", "ThreadRecords$1", "HookGuard", "HeldLocks", "HeldLockText",
                "FileReleaseHooks", "FileReleaseHooks$State", "OpenHandleHooks", "OpenHandleHooks$State",
                "ContextHooks", "ContextHooks$Stack", "ReleaseMethodHooks", "ReleaseMethodHooks$Stack", "HandoffHooks",
                "WaitHooks", "WaitToken", "SignalPaths", "MonitorWaits", "LifecycleHooks", "JvmLockHooks", "JvmLockHooks$InitLock",
                "LockRoles", "LockRoles$Collect", "LockRoles$1", "LockClasses$FirstOutsideLocks", "Hooks"}) {
            c = "io.lockdep4j.agent.bootstrap." + c;
            try {
                // ThreadRecords, HookGuard and JvmLockHooks initialized too: their ThreadLocal / ClassValue are created here, not in the
                // first hook; and Hooks, which registers the agent's JFR events: first touched by the transformer while
                // it transforms a JDK class JFR's registration needs (ArrayList$SubList), that class's load would
                // fail with a ClassCircularityError the JVM remembers, and JFR, then the JVM, fail to start
                Class.forName(c, c.endsWith(".ThreadRecords") || c.endsWith(".HookGuard") || c.endsWith(".JvmLockHooks")
                        || c.endsWith(".Hooks"), null);
            } catch (Throwable t) {
                AgentCounters.failure("preload " + c, t);
            }
        }

        // The JDK's ClassValue map classes are loaded on a first ClassValue.get: inside a hook that
        // load runs the transformer, which reaches the hook again (ClassCircularityError on
        // ClassValue$ClassValueMap, then every monitorEnter hook fails). Load them here.
        new ClassValue<Object>() {
            @Override
            protected Object computeValue(Class<?> type) {
                return type;
            }
        }.get(AgentInstaller.class);

        // lock wrappers and lock subclasses are named from their creator's bytecode (LockRoles)
        io.lockdep4j.agent.bootstrap.LockRoles.useCreationSites(new io.lockdep4j.agent.instrumentation.CreationSiteReader());

        java.util.List<LockdepInstrumentation> instrumentations = new java.util.ArrayList<>();
        java.util.List<io.lockdep4j.agent.instrumentation.ClassFilter> filters = new java.util.ArrayList<>();
        for (LockdepInstrumentation i : ServiceLoader.load(LockdepInstrumentation.class, AgentInstaller.class.getClassLoader())) {
            instrumentations.add(i);
            filters.add(i.filter(options));
        }
        int count = instrumentations.size();
        // at a -javaagent start, the JDK classes' instrumented bytes may come from an earlier JVM
        TransformCache cache = attached ? null : TransformCache.open(options);
        TransformPipeline pipeline = new TransformPipeline(filters, cache, options.verbose);
        Map<String, Boolean> startupSet = cache == null ? Map.of() : cache.startupSet();
        // at a -javaagent start, the computed jdkMonitors default beyond its eager part is instrumented
        // when those classes load, not retransformed now (see JdkMonitorDefaults.EAGER)
        ClassScope.startupRetransformation = !attached;
        try {
            if (!startupSet.isEmpty()) { // the JDK classes' bytes from the cache: Byte Buddy built only if a class needs it
                LazyByteBuddy byteBuddy = new LazyByteBuddy(inst, () -> agentBuilder(options, instrumentations).makeRaw(), options.verbose, pipeline);
                byteBuddy.finishAtExit();
                front = new PipelineTransformer(pipeline, byteBuddy);
                // the pipeline's own code loaded now, not while it transforms a class that code needs
                pipeline.warmUp();
                inst.addTransformer(front, true);
                StartupSet.retransform(inst, StartupSet.toRetransform(inst, startupSet, pipeline, options.verbose));
            } else {
                java.util.Set<String> before = cache == null ? null : StartupSet.loaded(inst);
                // each class file is scanned raw once (ClassFacts) and shown to every instrumentation's
                // filter: a class no filter wants never reaches Byte Buddy
                transformer = agentBuilder(options, instrumentations)
                        .with(FactsPublishingTransformer.decorator(pipeline))
                        .installOn(inst);
                if (cache != null) {
                    StartupSet.remember(cache, before, pipeline.rewrittenAtStart());
                }
            }
        } finally {
            ClassScope.startupRetransformation = false;
        }
        AgentInstaller.pipeline = pipeline;
        installedBy = inst;
        try {
            FlightRecorder.addPeriodicEvent(AgentStatisticsEvent.class, new Statistics());
        } catch (Throwable t) {
            AgentCounters.failure("register statistics event", t);
        }
        try { // every known edge again at each chunk end: JFR may have dropped their own events
            FlightRecorder.addPeriodicEvent(LockGraphSummaryEvent.class, new GraphSummary());
        } catch (Throwable t) {
            AgentCounters.failure("register graph summary event", t);
        }
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recordingStateChanged(Recording recording) {
                    if (recording.getState() == RecordingState.RUNNING) {
                        Hooks.forgetKnownChains();
                    }
                }
            });
        } catch (Throwable t) {
            AgentCounters.failure("register recording listener", t);
        }
        Hooks.active = true;
        if (options.releasePaths) { // leaks (with trackOpens) and waits still in progress
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        OpenHandleHooks.reportLeaks();
                    }
                }, "lockdep4j leak report"));
            } catch (Throwable t) {
                AgentCounters.failure("register leak report", t);
            }
        }
        // lets `lockdep4j watch PID` see, through the attach API, that the agent is already here
        System.setProperty(AGENT_PROPERTY, AgentConfig.version);
        if (options.verbose) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        System.err.println("lockdep4j: transformer saw " + AgentCounters.classesSeen.get() + " classes, passed "
                                + AgentCounters.classesDescribed.get() + " to Byte Buddy, took "
                                + AgentCounters.transformCacheHits.get() + " from the transform cache, instrumented "
                                + AgentCounters.instrumentedClasses.get() + ", "
                                + AgentCounters.transformNanos.get() / 1_000_000 + " ms in the transformer");
                    }
                }, "lockdep4j transform summary"));
            } catch (Throwable t) {
                AgentCounters.failure("register transform summary", t);
            }
            System.err.println("lockdep4j: agent " + AgentConfig.version + " installed (" + count
                    + " instrumentations" + (attached ? ", attached" : "") + (front != null
                    ? ", the JDK classes from the transform cache, Byte Buddy not built yet" : "") + ")");
        }
    }

    /**
     * Byte Buddy's agent, every instrumentation's types and transformation. Advice only rewrites
     * declared methods: no need to compile each class's full method graph (that resolves every
     * supertype); no validation of the types Byte Buddy does not create.
     */
    private static AgentBuilder agentBuilder(AgentOptions options, java.util.List<LockdepInstrumentation> instrumentations) {
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy()
                        .with(TypeValidation.DISABLED)
                        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                // what a cached application class's result depends on: the class files Byte Buddy located
                .with(io.lockdep4j.agent.instrumentation.ClassFileReads.LOCATION)
                // Byte Buddy's default ignore list skips the JDK, which is where the locks live
                .ignore(type -> ClassScope.isAgentOwn(type.getName()))
                .with(new FailureCounter(options.verbose));
        for (LockdepInstrumentation i : instrumentations) {
            builder = builder.type(i.types(options)).transform(i.transformer(options));
        }
        return builder;
    }

    /** Byte Buddy's installed transformer (a start without the cache, or an attach); else null. */
    private static volatile ResettableClassFileTransformer transformer;
    /** The transformer registered at a start from the cache (Byte Buddy behind it, built lazily); else null. */
    private static volatile ClassFileTransformer front;
    private static volatile TransformPipeline pipeline;
    private static volatile Instrumentation installedBy;

    /** The system property the installed agent sets to its version (read by {@code lockdep4j watch}). */
    public static final String AGENT_PROPERTY = "lockdep4j.agent.version";

    /** Detach: the hooks go quiet at once, then the instrumented classes are restored. */
    public static void stop(Instrumentation stopping) {
        Hooks.active = false;
        // the Instrumentation that registered the transformers: the one a later attach ("stop") brings
        // is another agent's, which cannot remove them (removeTransformer answers false)
        Instrumentation inst = installedBy != null ? installedBy : stopping;
        System.clearProperty(AGENT_PROPERTY);
        ResettableClassFileTransformer t = transformer;
        if (t != null) {
            t.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            transformer = null;
        }
        ClassFileTransformer f = front;
        if (f != null && inst.removeTransformer(f)) {
            front = null;
            StartupSet.restore(inst, pipeline.rewritten());
        }
    }

    static Map<String, Long> refcountInitials(AgentOptions options) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (String c : options.refcountClasses) {
            String[] p = c.split("[#:]");
            out.put(p[0].trim(), p.length > 3 ? Long.parseLong(p[3].trim()) : 0L);
        }
        return out;
    }

    private static String versionOf() {
        String v = AgentInstaller.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Counts classes transformed and failed; a failure is one line with verbose=true, never an exception. */
    static final class FailureCounter extends AgentBuilder.Listener.Adapter {
        private final boolean verbose;

        FailureCounter(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public void onDiscovery(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
            if (Hooks.active) {
                Hooks.agentWorkBegin();
            }
        }

        @Override
        public void onComplete(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
            if (Hooks.active) {
                Hooks.agentWorkEnd();
            }
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            AgentCounters.instrumentedClasses.incrementAndGet();
            if (verbose && ClassScope.isJdkOrAgent(type.getName())) {
                System.err.println("lockdep4j: instrumented " + type.getName());
            }
        }

        /**
         * Byte Buddy could not transform a class (a method that our hooks push over the 64 KB code
         * limit, a super type it cannot resolve...): the class loads as it is. Counted per load in
         * transformFailures only (agentFailures counts failures of the hooks at run time), and
         * reported once per class name and cause, however many loaders define it.
         */
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            TransformPipeline.resultNotCacheable();
            AgentCounters.transformFailures.incrementAndGet();
            AgentCounters.reportTransform("transform " + typeName + " (left uninstrumented)", throwable);
        }
    }
}
