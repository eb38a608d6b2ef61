package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.TransformCache;
import io.lockdep4j.agent.bootstrap.AgentCounters;
import io.lockdep4j.agent.bootstrap.Hooks;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens to every class file before Byte Buddy: asks every instrumentation's
 * {@link ClassFilter} and returns at once when none may match (Byte Buddy never sees the class);
 * takes the class's result from the {@link TransformCache} when an earlier JVM kept it (an
 * application class's only when its loader finds the class files that result read unchanged, with
 * this JVM's ids patched in); otherwise publishes the {@link ClassFacts} of the class (scanned once,
 * shared by the filters and the matchers) and its loader for {@link TypeHierarchy}, calls Byte Buddy,
 * and keeps the result in the cache. Counts the classes seen, passed to Byte Buddy, and taken from the cache.
 */
public final class TransformPipeline {
    private final ClassFilter[] filters;
    private final TransformCache cache;
    private final boolean verbose;
    /** Start-up keys (TransformCache.startupKey) of the loaded classes the start-up retransformation rewrote. */
    private final Set<String> rewrittenAtStart = ConcurrentHashMap.newKeySet();
    /** Names of the classes this pipeline rewrote (what a detach restores). */
    private final Set<String> rewritten = ConcurrentHashMap.newKeySet();

    /** {@code cache} null: no cache (an attached agent, or transformCache=false). */
    public TransformPipeline(List<ClassFilter> filters, TransformCache cache, boolean verbose) {
        this.filters = filters.toArray(new ClassFilter[0]);
        this.cache = cache;
        this.verbose = verbose;
    }

    public Set<String> rewrittenAtStart() {
        return rewrittenAtStart;
    }

    public Set<String> rewritten() {
        return rewritten;
    }

    /**
     * Whether some instrumentation may match this loaded class judged by its name and loader alone
     * (its class file unread, which counts as containing everything). False: no start with Byte Buddy
     * would have rewritten it, so a start from the cache need not retransform it to find out.
     */
    public boolean mayMatchUnread(Class<?> c) {
        ClassFacts facts = new ClassFacts(c.getName().replace('.', '/'), null, c.getClassLoader());
        ClassFacts previous = ClassFacts.enter(facts);
        try {
            return anyMayMatch(facts);
        } finally {
            ClassFacts.exit(previous);
        }
    }

    /** Byte Buddy reported an error for, or did not yet transform, the class being transformed: its result is not cached. */
    public static void resultNotCacheable() {
        ClassFacts facts = ClassFacts.current();
        if (facts != null) {
            facts.failed = true;
        }
    }

    /**
     * Runs the pipeline's code (filters, facts, a cache lookup and replay) on a JDK class file
     * without transforming or storing anything, so that the classes that code needs are loaded
     * before the transformer is registered: needed first while the transformer handles their own
     * load, they would fail with ClassCircularityError.
     */
    public void warmUp() {
        try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream("java/util/Vector.class")) {
            byte[] bytes = in.readAllBytes();
            ClassFacts facts = new ClassFacts("java/util/Vector", bytes, null);
            ClassFacts previous = ClassFacts.enter(facts);
            try {
                anyMayMatch(facts);
                facts.has(ClassFacts.ALL);
                facts.isInterface();
                if (cache != null) {
                    TransformCache.Hit hit = cache.lookup("java/util/Vector", bytes, TransformCache.RETRANSFORM);
                    if (hit != null) {
                        hit.interns.size();
                    }
                    Interns.replay(new ArrayList<>());
                    IdConstants.patch(bytes, Interns.given(new ArrayList<>()));
                    IdConstants.anyTagged(bytes);
                    ClassFileDigests.unchanged(ClassLoader.getSystemClassLoader(), new String[0], new long[0]);
                    cache.warmUp(bytes);
                }
                rewritten.contains("");
                rewrittenAtStart.contains("");
            } finally {
                ClassFacts.exit(previous);
            }
        } catch (Throwable t) {
            AgentCounters.failure("warm up the transformer", t);
        }
    }

    /** One class file through the pipeline to {@code byteBuddy}; the arguments are ClassFileTransformer's. */
    public byte[] transform(ClassFileTransformer byteBuddy, Module module, ClassLoader loader, String name, Class<?> redefined,
            ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
        if (name != null && ClassScope.isAgentOwn(name)) { // Byte Buddy ignores these too: the agent never instruments itself
            return null;
        }
        long start = System.nanoTime();
        ClassFacts facts = new ClassFacts(name, bytes, loader);
        ClassFacts previous = ClassFacts.enter(facts);
        try {
            if (name != null && !anyMayMatch(facts)) {
                return null;
            }
            boolean cacheable = cache != null && name != null && TransformCache.cacheable(loader, redefined);
            boolean application = !TransformCache.jdkLoader(loader);
            int flags = (ClassScope.startupRetransformation ? TransformCache.AT_START : 0)
                    | (redefined != null ? TransformCache.RETRANSFORM : 0);
            if (cacheable) {
                byte[][] reused = reuse(name, bytes, flags, loader, application);
                if (reused != null) {
                    AgentCounters.transformCacheHits.incrementAndGet();
                    if (reused[0] != null) {
                        AgentCounters.instrumentedClasses.incrementAndGet();
                        rewrote(name, redefined, " (from the transform cache)");
                    }
                    return reused[0];
                }
                if (IdConstants.anyTagged(bytes)) {
                    cacheable = false; // its own constants look like our tagged ids: transformed as without a cache
                } else {
                    facts.interns = new ArrayList<>(); // ids emitted tagged, patched below
                    facts.reads = application ? new HashSet<>() : null;
                }
            }
            AgentCounters.classesDescribed.incrementAndGet();
            byte[] out = module != null ? byteBuddy.transform(module, loader, name, redefined, domain, bytes)
                    : byteBuddy.transform(loader, name, redefined, domain, bytes);
            byte[] template = out;
            if (out != null && facts.interns != null) {
                out = IdConstants.patch(template, Interns.given(facts.interns));
                if (out == null) { // Byte Buddy wrote a class file we cannot read: never run a template's tagged ids
                    AgentCounters.failure("patch the ids into " + name, new IllegalStateException("unreadable output"));
                    return null;
                }
            }
            if (out != null) {
                rewrote(name, redefined, null);
            }
            if (cacheable && !facts.failed) {
                store(name, bytes, flags, template, facts, loader);
            }
            return out;
        } finally {
            ClassFacts.exit(previous);
            AgentCounters.classesSeen.incrementAndGet();
            AgentCounters.transformNanos.addAndGet(System.nanoTime() - start);
        }
    }

    /**
     * The cached result for these bytes, as {@code {output}} (output null: unchanged), or null for a
     * miss: no entry, an application class whose loader now finds other supertypes, or ids that
     * cannot be patched in. The cache's files and the loader's resources are read as agent work.
     */
    private byte[][] reuse(String name, byte[] bytes, int flags, ClassLoader loader, boolean application) {
        boolean agentWork = Hooks.active;
        if (agentWork) {
            Hooks.agentWorkBegin();
        }
        try {
            TransformCache.Hit hit = cache.lookup(name, bytes, flags);
            if (hit == null || (application && !ClassFileDigests.unchanged(loader, hit.readNames, hit.readDigests))) {
                return null;
            }
            Map<Integer, Integer> ids = Interns.replay(hit.interns);
            if (ids == null) {
                return null;
            }
            if (hit.output == null) {
                return new byte[][] {null};
            }
            byte[] out = IdConstants.patch(hit.output, ids);
            return out == null ? null : new byte[][] {out};
        } finally {
            if (agentWork) {
                Hooks.agentWorkEnd();
            }
        }
    }

    /** Keeps a result (the template) with the digests of the other class files it read. */
    private void store(String name, byte[] bytes, int flags, byte[] template, ClassFacts facts, ClassLoader loader) {
        boolean agentWork = Hooks.active;
        if (agentWork) {
            Hooks.agentWorkBegin();
        }
        try {
            String[] readNames = facts.reads == null ? new String[0] : facts.reads.toArray(new String[0]);
            long[] readDigests = new long[readNames.length];
            for (int i = 0; i < readNames.length; i++) {
                readDigests[i] = ClassFileDigests.of(loader, readNames[i]);
            }
            cache.store(name, bytes, flags, template, facts.interns, readNames, readDigests);
        } finally {
            if (agentWork) {
                Hooks.agentWorkEnd();
            }
        }
    }

    private void rewrote(String name, Class<?> redefined, String fromCache) {
        rewritten.add(name);
        if (redefined != null && ClassScope.startupRetransformation) {
            rewrittenAtStart.add(TransformCache.startupKey(redefined));
        }
        if (fromCache != null && verbose && ClassScope.isJdkOrAgent(name.replace('/', '.'))) {
            System.err.println("lockdep4j: instrumented " + name.replace('/', '.') + fromCache);
        }
    }

    /**
     * Whether some instrumentation may match. Agent work: the supertypes' class files it may read
     * take the JDK's locks, which are not the application's (as in Byte Buddy's own discovery).
     */
    private boolean anyMayMatch(ClassFacts facts) {
        boolean agentWork = Hooks.active;
        if (agentWork) {
            Hooks.agentWorkBegin();
        }
        try {
            for (ClassFilter f : filters) {
                if (f.mayMatch(facts)) {
                    return true;
                }
            }
            return false;
        } catch (Throwable t) {
            return true; // Byte Buddy decides
        } finally {
            if (agentWork) {
                Hooks.agentWorkEnd();
            }
        }
    }
}
