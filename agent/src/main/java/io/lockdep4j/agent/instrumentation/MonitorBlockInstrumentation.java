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
 * {@code synchronized} blocks: calls {@code Hooks.monitorEnter/monitorExit} just BEFORE each
 * MONITORENTER and MONITOREXIT ({@code DUP; INVOKESTATIC}). Hooking before the enter records the
 * order even when the acquisition then deadlocks, and keeps the call outside javac's exception
 * range: a call right after MONITORENTER makes C2 refuse to compile the method (FIELD-NOTES).
 */
public final class MonitorBlockInstrumentation implements LockdepInstrumentation {
    static final String HOOKS = "io/lockdep4j/agent/bootstrap/Hooks";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return ElementMatchers.<TypeDescription>not(ElementMatchers.isInterface())
                .and(t -> ClassScope.application(options).matches(t) || ClassScope.jdkMonitorClasses(options).matches(t));
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                .invokable(ElementMatchers.any(), (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                        new MonitorHookVisitor(mv)));
    }

    static final class MonitorHookVisitor extends MethodVisitor {
        MonitorHookVisitor(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.MONITORENTER) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter", "(Ljava/lang/Object;)V", false);
            } else if (opcode == Opcodes.MONITOREXIT) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit", "(Ljava/lang/Object;)V", false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 1, maxLocals);
        }
    }
}
