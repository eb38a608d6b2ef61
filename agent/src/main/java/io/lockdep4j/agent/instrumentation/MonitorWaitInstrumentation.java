package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Call sites of {@code Object.wait()}, {@code wait(long)}, {@code wait(long, int)}, {@code notify()},
 * {@code notifyAll()} and {@code Thread.sleep(long[, int])} in application classes and in the traced
 * JDK monitor classes: {@code Object.wait} is native and final, so the call itself is replaced by
 * the same call through {@code MonitorWaits} (an INVOKESTATIC with the receiver as first argument;
 * the stack shape is unchanged). Object's wait/notify methods are final, so a name and descriptor
 * match them whatever class javac wrote as the owner.
 */
public final class MonitorWaitInstrumentation implements LockdepInstrumentation {
    private static final String TARGET = "io/lockdep4j/agent/bootstrap/MonitorWaits";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        if (!options.releasePaths) {
            return t -> false;
        }
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        ElementMatcher<TypeDescription> jdk = ClassScope.jdkMonitorClasses(options);
        return t -> (app.matches(t) || jdk.matches(t)) && ClassFacts.mayHave(ClassFacts.WAIT_CALL) && !t.isInterface();
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        if (!options.releasePaths) {
            return ClassFilter.NONE;
        }
        return c -> ClassScope.isApplicationOrTracedJdk(options, c.className()) && !c.isInterface() && c.has(ClassFacts.WAIT_CALL);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                .invokable(ElementMatchers.any(), (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                        new CallSiteVisitor(mv)));
    }

    /** The MonitorWaits method that replaces this call, or null. */
    static String replacement(int opcode, String owner, String name, String descriptor) {
        if (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) {
            boolean object = ("wait".equals(name) && ("()V".equals(descriptor) || "(J)V".equals(descriptor) || "(JI)V".equals(descriptor)))
                    || (("notify".equals(name) || "notifyAll".equals(name)) && "()V".equals(descriptor));
            return object ? "(Ljava/lang/Object;" + descriptor.substring(1) : null;
        }
        if (opcode == Opcodes.INVOKESTATIC && "java/lang/Thread".equals(owner) && "sleep".equals(name)
                && ("(J)V".equals(descriptor) || "(JI)V".equals(descriptor))) {
            return descriptor;
        }
        return null;
    }

    static final class CallSiteVisitor extends MethodVisitor {
        CallSiteVisitor(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            String to = replacement(opcode, owner, name, descriptor);
            if (to == null) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, TARGET, name, to, false);
            }
        }
    }
}
