package io.lockdep4j.agent.instrumentation;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Byte Buddy's class-file transformer behind the {@link TransformPipeline} (filters, facts, cache),
 * as an {@link AgentBuilder.TransformerDecorator}: what {@code installOn} registers.
 */
public final class FactsPublishingTransformer extends ResettableClassFileTransformer.WithDelegation {
    private final TransformPipeline pipeline;

    private FactsPublishingTransformer(ResettableClassFileTransformer delegate, TransformPipeline pipeline) {
        super(delegate);
        this.pipeline = pipeline;
    }

    public static AgentBuilder.TransformerDecorator decorator(TransformPipeline pipeline) {
        return delegate -> new FactsPublishingTransformer(delegate, pipeline);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return pipeline.transform(classFileTransformer, null, loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return pipeline.transform(classFileTransformer, module, loader, name, redefined, domain, bytes);
    }
}
