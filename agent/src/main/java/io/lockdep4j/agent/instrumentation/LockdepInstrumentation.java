package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumented type (or family of types): which classes it matches and how it transforms
 * them. Advice lives in static nested classes and only calls {@code Hooks}: no logic in advice.
 *
 * <p>To add one: write a class implementing this interface and add its name to
 * {@code META-INF/services/io.lockdep4j.agent.instrumentation.LockdepInstrumentation}. Give it a
 * {@link #filter} that says no, from the raw class file, to what {@link #types} surely rejects:
 * without one, every class the JVM loads reaches Byte Buddy.
 */
public interface LockdepInstrumentation {
    /** Which types to transform, given the user's options. */
    ElementMatcher<TypeDescription> types(AgentOptions options);

    /**
     * A cheap first look at each class, before Byte Buddy parses it: false only where
     * {@link #types} surely says no (see {@link ClassFilter}). The default lets every class through.
     */
    default ClassFilter filter(AgentOptions options) {
        return ClassFilter.ANY;
    }

    /** The transformation, applied to each matched type. */
    AgentBuilder.Transformer transformer(AgentOptions options);
}
