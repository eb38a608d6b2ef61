package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.bootstrap.AgentCounters;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Wraps Byte Buddy's class-file transformer: publishes the {@link ClassFacts} of the class being
 * loaded (scanned lazily, only when a matcher asks) and the loader for {@link TypeHierarchy}, and
 * counts the classes seen and the time spent transforming them.
 */
public final class FactsPublishingTransformer extends ResettableClassFileTransformer.WithDelegation {
    public static final AgentBuilder.TransformerDecorator DECORATOR = FactsPublishingTransformer::new;

    private FactsPublishingTransformer(ResettableClassFileTransformer delegate) {
        super(delegate);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        long start = System.nanoTime();
        ClassFacts previous = ClassFacts.enter(new ClassFacts(name, bytes, loader));
        try {
            return classFileTransformer.transform(loader, name, redefined, domain, bytes);
        } finally {
            ClassFacts.exit(previous);
            count(start);
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        long start = System.nanoTime();
        ClassFacts previous = ClassFacts.enter(new ClassFacts(name, bytes, loader));
        try {
            return classFileTransformer.transform(module, loader, name, redefined, domain, bytes);
        } finally {
            ClassFacts.exit(previous);
            count(start);
        }
    }

    private static void count(long start) {
        AgentCounters.classesSeen.incrementAndGet();
        AgentCounters.transformNanos.addAndGet(System.nanoTime() - start);
    }
}
