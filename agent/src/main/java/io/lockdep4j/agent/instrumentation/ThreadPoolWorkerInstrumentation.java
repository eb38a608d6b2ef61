package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ThreadPoolExecutor.runWorker}: around its {@code task.run()} call, looks up the task's
 * hand-off tag ({@code DUP; INVOKESTATIC workerRunStart} before, {@code workerRunEnd} after).
 * This sees the very object given to {@code execute} even when a subclass overrides
 * beforeExecute without calling super. When nothing is tagged it is one volatile read.
 */
public final class ThreadPoolWorkerInstrumentation implements LockdepInstrumentation {
    /** The hook class the injected calls go to. */
    private static final String HOOKS = "io/lockdep4j/agent/bootstrap/HandoffHooks";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths && !options.releaseMethods.isEmpty()
                ? named("java.util.concurrent.ThreadPoolExecutor") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths && !options.releaseMethods.isEmpty()
                ? ClassFilter.named("java.util.concurrent.ThreadPoolExecutor") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                .invokable(named("runWorker"), (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                        new RunVisitor(mv)));
    }

    static final class RunVisitor extends MethodVisitor {
        RunVisitor(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            boolean run = opcode == Opcodes.INVOKEINTERFACE && "java/lang/Runnable".equals(owner) && "run".equals(name) && "()V".equals(descriptor);
            if (run) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "workerRunStart", "(Ljava/lang/Object;)V", false);
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (run) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "workerRunEnd", "()V", false);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 1, maxLocals);
        }
    }
}
