package io.lockdep4j.agent;

import io.lockdep4j.agent.instrumentation.ClassScope;

import io.lockdep4j.agent.bootstrap.AgentCounters;
import io.lockdep4j.agent.instrumentation.TransformPipeline;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classes already loaded when {@code premain} runs, which the start-up retransformation covers.
 * A start from the transform cache must rewrite exactly what a start with Byte Buddy would: so the
 * cache remembers, from the first start (the one that ran Byte Buddy), every JDK class it found
 * loaded and whether it rewrote it. Later starts skip only the JDK classes it left unchanged.
 */
final class StartupSet {
    private StartupSet() {}

    /**
     * The loaded classes to retransform through the pipeline at a start from the cache, given its
     * start-up set ({@code known}; a start without one runs Byte Buddy's own retransformation). All
     * but the JDK classes a start with Byte Buddy left unchanged: those it rewrote (their new bytes
     * are cached), and every class it did not see or whose bytes may differ (other loaders': another
     * agent's classes), which then take exactly the path they take at such a start; but of those, only
     * the ones some instrumentation may match by their name alone (not the JDK's generated classes:
     * reflection accessors, JFR's event handlers).
     */
    static List<Class<?>> toRetransform(Instrumentation inst, Map<String, Boolean> known, TransformPipeline pipeline, boolean verbose) {
        List<Class<?>> retransform = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (counts(inst, c)) {
                String key = TransformCache.startupKey(c);
                Boolean rewritten = key.startsWith("A ") ? null : known.get(key);
                if (rewritten == null && !pipeline.mayMatchUnread(c)) {
                    continue; // no instrumentation may match it by its name (a JDK one): nothing to find out
                }
                if (rewritten == null) {
                    unknown.add(c.getName());
                }
                if (rewritten == null || rewritten) {
                    retransform.add(c);
                }
            }
        }
        if (verbose && !unknown.isEmpty()) {
            System.err.println("lockdep4j: " + unknown.size() + " classes loaded before the agent are not in the transform cache's"
                    + " start-up set, retransformed to be sure: " + String.join(", ", unknown.subList(0, Math.min(5, unknown.size())))
                    + (unknown.size() > 5 ? ", ..." : ""));
        }
        return retransform;
    }

    /** The start-up keys of the loaded classes a start-up retransformation looks at. */
    static Set<String> loaded(Instrumentation inst) {
        Set<String> keys = new HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (counts(inst, c)) {
                keys.add(TransformCache.startupKey(c));
            }
        }
        return keys;
    }

    /** After a start with Byte Buddy: the JDK classes it found loaded, each with whether it rewrote it. */
    static void remember(TransformCache cache, Set<String> loaded, Set<String> rewritten) {
        Map<String, Boolean> set = new java.util.TreeMap<>();
        for (String key : loaded) {
            if (!key.startsWith("A ")) {
                set.put(key, rewritten.contains(key));
            }
        }
        cache.writeStartupSet(set);
    }

    /** Retransforms the classes (each one alone if together they fail). */
    static void retransform(Instrumentation inst, List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable all) {
            for (Class<?> c : classes) {
                try {
                    inst.retransformClasses(c);
                } catch (Throwable t) {
                    AgentCounters.failure("retransform " + c.getName(), t);
                }
            }
        }
    }

    /** Detach: retransforms the loaded classes with these internal names, now that no transformer rewrites them. */
    static void restore(Instrumentation inst, Set<String> internalNames) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (internalNames.contains(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
                classes.add(c);
            }
        }
        retransform(inst, classes);
    }

    private static boolean counts(Instrumentation inst, Class<?> c) {
        if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
            return false;
        }
        return !ClassScope.isAgentOwn(c.getName());
    }
}
