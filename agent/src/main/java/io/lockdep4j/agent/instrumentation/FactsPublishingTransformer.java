package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.bootstrap.AgentCounters;
import io.lockdep4j.agent.bootstrap.Hooks;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Wraps Byte Buddy's class-file transformer: asks every instrumentation's {@link ClassFilter}
 * first and returns at once when none may match (Byte Buddy never sees the class); otherwise
 * publishes the {@link ClassFacts} of the class being loaded (scanned once, shared by the filters
 * and the matchers) and its loader for {@link TypeHierarchy}. Counts the classes seen, the ones
 * passed to Byte Buddy, and the time spent.
 */
public final class FactsPublishingTransformer extends ResettableClassFileTransformer.WithDelegation {
    private final ClassFilter[] filters;

    private FactsPublishingTransformer(ResettableClassFileTransformer delegate, ClassFilter[] filters) {
        super(delegate);
        this.filters = filters;
    }

    public static AgentBuilder.TransformerDecorator decorator(List<ClassFilter> filters) {
        ClassFilter[] array = filters.toArray(new ClassFilter[0]);
        return delegate -> new FactsPublishingTransformer(delegate, array);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return transform(null, loader, name, redefined, domain, bytes, false);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return transform(module, loader, name, redefined, domain, bytes, true);
    }

    private byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes,
            boolean withModule) throws IllegalClassFormatException {
        long start = System.nanoTime();
        ClassFacts facts = new ClassFacts(name, bytes, loader);
        ClassFacts previous = ClassFacts.enter(facts);
        try {
            if (name != null && !anyMayMatch(facts)) {
                return null;
            }
            AgentCounters.classesDescribed.incrementAndGet();
            return withModule ? classFileTransformer.transform(module, loader, name, redefined, domain, bytes)
                    : classFileTransformer.transform(loader, name, redefined, domain, bytes);
        } finally {
            ClassFacts.exit(previous);
            AgentCounters.classesSeen.incrementAndGet();
            AgentCounters.transformNanos.addAndGet(System.nanoTime() - start);
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
