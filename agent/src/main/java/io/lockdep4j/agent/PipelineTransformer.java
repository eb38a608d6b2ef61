package io.lockdep4j.agent;

import io.lockdep4j.agent.instrumentation.TransformPipeline;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

/** The transformer a start from the transform cache registers: the pipeline, then Byte Buddy built on first need. */
final class PipelineTransformer implements ClassFileTransformer {
    private final TransformPipeline pipeline;
    private final LazyByteBuddy byteBuddy;

    PipelineTransformer(TransformPipeline pipeline, LazyByteBuddy byteBuddy) {
        this.pipeline = pipeline;
        this.byteBuddy = byteBuddy;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        byteBuddy.saw();
        return pipeline.transform(byteBuddy, null, loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        byteBuddy.saw();
        return pipeline.transform(byteBuddy, module, loader, name, redefined, domain, bytes);
    }
}
