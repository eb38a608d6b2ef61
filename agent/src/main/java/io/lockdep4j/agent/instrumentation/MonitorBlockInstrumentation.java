package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import io.lockdep4j.agent.bootstrap.LockClasses;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * {@code synchronized} blocks: calls {@code Hooks.monitorEnter/monitorExit} just BEFORE each
 * MONITORENTER and MONITOREXIT ({@code DUP; INVOKESTATIC}). Hooking before the enter records the
 * order even when the acquisition then deadlocks, and keeps the call outside javac's exception
 * range: a call right after MONITORENTER makes C2 refuse to compile the method (FIELD-NOTES), and
 * the call before the handler's MONITOREXIT leaves the range that covers that handler itself, which
 * C1 refuses (see SelfCoveringHandlers).
 */
public final class MonitorBlockInstrumentation implements LockdepInstrumentation {
    /** The hook class the injected calls go to. */
    private static final String HOOKS = "io/lockdep4j/agent/bootstrap/Hooks";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        ElementMatcher<TypeDescription> jdk = ClassScope.jdkMonitorClasses(options);
        // names first: isInterface() parses the class, the facts scan its code
        return t -> (app.matches(t) || jdk.matches(t)) && !t.isInterface() && ClassFacts.mayHave(ClassFacts.MONITOR_BLOCK);
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return c -> ClassScope.isApplicationOrTracedJdk(options, c.className()) && !c.isInterface() && c.has(ClassFacts.MONITOR_BLOCK);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                .invokable(ElementMatchers.any(), (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                        new MonitorHookVisitor(mv, siteOf(instrumentedType, options))));
    }

    /**
     * Blocks in application classes pass their class as the site that names JDK-typed monitors
     * reached through a local or a getter (see LockClasses.MonitorClass); blocks inside the traced
     * JDK classes themselves (Vector, Collections$Synchronized*) do not: their instances keep one class.
     */
    static int siteOf(TypeDescription type, AgentOptions options) {
        return ClassScope.application(options).matches(type) ? Interns.monitorSite(type.getName()) : 0;
    }

    /**
     * Also names monitors by the field they were read from when the field's type is a JDK class
     * ({@code synchronized (REGISTERED_PROVIDERS)} on a static {@code TreeMap}): javac compiles that to
     * {@code GETSTATIC; DUP; ASTORE; MONITORENTER}. Named by the object's class instead, every
     * TreeMap or AtomicReference used as a lock anywhere was one lock class, and Apache SSHD's
     * start-up alone showed 13 false cycles through them.
     */
    static final class MonitorHookVisitor extends MethodVisitor {
        private String fieldLoaded; // "owner.name" of a JDK-typed field just read, until something else happens
        private int sinceField;
        private final int site;
        private final CreatedLocals locals = new CreatedLocals();
        private final SelfCoveringHandlers handlers;

        MonitorHookVisitor(MethodVisitor mv, int site) {
            super(Opcodes.ASM9, mv);
            this.site = site;
            this.handlers = new SelfCoveringHandlers(mv, this::callMonitorExit);
        }

        private void callMonitorExit() {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit", "(Ljava/lang/Object;)V", false);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            fieldLoaded = (opcode == Opcodes.GETSTATIC || opcode == Opcodes.GETFIELD) && descriptor.startsWith("Ljava/")
                    && !descriptor.equals("Ljava/lang/Class;") ? owner.replace('/', '.') + "." + name : null;
            sinceField = 0;
            locals.other();
            handlers.settle();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (opcode != Opcodes.ASTORE || ++sinceField > 2) {
                fieldLoaded = null;
            }
            locals.varInsn(opcode, var);
            handlers.settle();
            super.visitVarInsn(opcode, var);
        }

        @Override public void visitMethodInsn(int o, String w, String n, String d, boolean i) { fieldLoaded = null; locals.methodInsn(o, n); handlers.settle(); super.visitMethodInsn(o, w, n, d, i); }
        @Override public void visitTypeInsn(int o, String t) { fieldLoaded = null; locals.other(); handlers.settle(); super.visitTypeInsn(o, t); }
        @Override public void visitJumpInsn(int o, Label l) { fieldLoaded = null; locals.jumpTo(l); handlers.settle(); super.visitJumpInsn(o, l); }
        @Override public void visitLdcInsn(Object v) { fieldLoaded = null; locals.other(); handlers.settle(); super.visitLdcInsn(v); }
        @Override public void visitIntInsn(int o, int v) { locals.other(); handlers.settle(); super.visitIntInsn(o, v); }
        @Override public void visitIincInsn(int v, int inc) { locals.other(); handlers.settle(); super.visitIincInsn(v, inc); }
        @Override public void visitInvokeDynamicInsn(String n, String d, net.bytebuddy.jar.asm.Handle h, Object... a) { locals.other(); handlers.settle(); super.visitInvokeDynamicInsn(n, d, h, a); }
        @Override public void visitMultiANewArrayInsn(String d, int dims) { locals.other(); handlers.settle(); super.visitMultiANewArrayInsn(d, dims); }
        @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... ls) { locals.jumpTo(ls); locals.jumpTo(dflt); handlers.settle(); super.visitTableSwitchInsn(min, max, dflt, ls); }
        @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] ls) { locals.jumpTo(ls); locals.jumpTo(dflt); handlers.settle(); super.visitLookupSwitchInsn(dflt, keys, ls); }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            locals.jumpTo(handler);
            handlers.tryCatchBlock(start, end, handler);
            super.visitTryCatchBlock(start, end, handler, type);
        }

        @Override
        public void visitLabel(Label l) {
            fieldLoaded = null;
            locals.label(l);
            handlers.label(l); // passes it on
        }

        @Override public void visitLineNumber(int line, Label start) { handlers.lineNumber(line, start); }
        @Override public void visitFrame(int t, int nl, Object[] l, int ns, Object[] st) { handlers.beforeFrame(); super.visitFrame(t, nl, l, ns, st); }
        @Override public void visitMaxs(int maxStack, int maxLocals) { handlers.settle(); super.visitMaxs(maxStack + 2, maxLocals); }

        @Override
        public void visitInsn(int opcode) {
            handlers.settle();
            if (opcode == Opcodes.MONITORENTER) {
                super.visitInsn(Opcodes.DUP);
                if (locals.monitorIsCreatedHere()) {
                    super.visitLdcInsn(site > 0 ? -site : 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnterCreatedHere", "(Ljava/lang/Object;I)V", false);
                } else if (fieldLoaded != null) {
                    super.visitLdcInsn(Interns.lockClass(fieldLoaded, LockClasses.KIND_MONITOR));
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter", "(Ljava/lang/Object;I)V", false);
                } else if (site > 0) {
                    super.visitLdcInsn(-site);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter", "(Ljava/lang/Object;I)V", false);
                } else {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter", "(Ljava/lang/Object;)V", false);
                }
            } else if (opcode != Opcodes.DUP || ++sinceField > 2) {
                fieldLoaded = null;
            }
            locals.insn(opcode);
            if (opcode == Opcodes.MONITORENTER) {
                fieldLoaded = null;
            } else if (opcode == Opcodes.MONITOREXIT) {
                boolean deferred = handlers.deferCall();
                super.visitInsn(Opcodes.DUP);
                if (!deferred) {
                    callMonitorExit();
                }
            }
            super.visitInsn(opcode);
        }
    }
}
