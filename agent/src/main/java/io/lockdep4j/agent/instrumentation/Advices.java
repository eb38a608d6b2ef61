package io.lockdep4j.agent.instrumentation;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.Advice;

/**
 * {@link Advice} for an advice class, built once and reused. {@code Advice.to} reads and parses the
 * advice class file; the transformers used to call it for every class they rewrote (each application
 * class with a monitor, each retransformed JDK class), so a start-up or a suite with many classes
 * parsed the same few advice classes again and again. Advice is immutable: one instance serves every
 * transformation. The key space is the agent's advice classes (and a few bound constants): bounded.
 */
final class Advices {
    private Advices() {}

    private static final ConcurrentHashMap<Object, Advice> CACHE = new ConcurrentHashMap<>();

    static Advice to(Class<?> advice) {
        Advice a = CACHE.get(advice);
        if (a == null) { // no computeIfAbsent: building it may load classes, which re-enters the transformer
            a = Advice.to(advice);
            Advice raced = CACHE.putIfAbsent(advice, a);
            a = raced == null ? a : raced;
        }
        return a;
    }

    /** The advice with one annotation bound to a constant ({@code Advice.withCustomMapping().bind}). */
    static Advice bound(Class<? extends Annotation> annotation, Object value, Class<?> advice) {
        List<Object> key = Arrays.asList(advice, annotation, value);
        Advice a = CACHE.get(key);
        if (a == null) {
            a = Advice.withCustomMapping().bind(annotation, value).to(advice);
            Advice raced = CACHE.putIfAbsent(key, a);
            a = raced == null ? a : raced;
        }
        return a;
    }
}
