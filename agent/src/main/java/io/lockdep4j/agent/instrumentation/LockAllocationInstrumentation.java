package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import io.lockdep4j.agent.bootstrap.LockClasses;
import java.util.ArrayDeque;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Names lock classes where locks are created, as lockdep keys a class by its init site. After
 * {@code new ReentrantLock()} (or ReentrantReadWriteLock, StampedLock, and a plain
 * {@code new Object()} used as a monitor) that is stored straight into a field, the lock's class
 * is the field ({@code com.acme.NfsFileCache.lruLock}); a j.u.c. lock not stored in a field is
 * named by its allocation site ({@code com.acme.Owner.method:42}). The class id is fixed at
 * transform time, so the injected call is {@code DUP; LDC id; INVOKESTATIC Hooks.name}.
 * Locks kept in fields of other classes keep the name of the field they were stored in. A lock
 * stored into a field passes its holder too ({@code DUP2; LDC id; INVOKESTATIC Hooks.nameInField}),
 * and one stored into an array or returned passes its site ({@code Hooks.nameFromSite}): the role
 * rules (runtime class of the holder, lock wrappers, containers) are in {@code LockRoles}.
 */
public final class LockAllocationInstrumentation implements LockdepInstrumentation {
    /** The hook class the injected naming call goes to. */
    private static final String HOOKS = "io/lockdep4j/agent/bootstrap/Hooks";

    /** Internal name → lock kind; Object, Hashtable and Vector are named only when stored in a field. */
    static final Map<String, Byte> NAMED_TYPES = Map.of(
            "java/util/concurrent/locks/ReentrantLock", LockClasses.KIND_REENTRANT_LOCK,
            "java/util/concurrent/locks/ReentrantReadWriteLock", LockClasses.KIND_RW_LOCK,
            "java/util/concurrent/locks/StampedLock", LockClasses.KIND_STAMPED_LOCK,
            "java/lang/Object", LockClasses.KIND_MONITOR,
            "java/util/Hashtable", LockClasses.KIND_MONITOR,
            "java/util/Vector", LockClasses.KIND_MONITOR);

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        return t -> app.matches(t) && !t.isInterface() && ClassFacts.mayHave(ClassFacts.LOCK_ALLOCATION); // names first
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return c -> ClassScope.isApplication(options, c.className()) && !c.isInterface() && c.has(ClassFacts.LOCK_ALLOCATION);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                .invokable(ElementMatchers.any(), (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                        new NamingVisitor(mv, instrumentedType, method)));
    }

    static final class NamingVisitor extends MethodVisitor {
        private final String owner;
        private final String methodName;
        private final ArrayDeque<String> pendingNew = new ArrayDeque<>();
        private String constructed; // internal name of a lock type just constructed, awaiting its destination
        private int line;
        /**
         * False in a constructor until its super(...)/this(...) call: a field stored before it (JDK 25's
         * flexible constructor bodies) belongs to an uninitialized {@code this}, which the verifier
         * does not let us pass to a hook.
         */
        private boolean thisInitialized;
        private int unconstructed; // NEWs (of any type) whose <init> has not run yet

        NamingVisitor(MethodVisitor mv, TypeDescription type, MethodDescription method) {
            super(Opcodes.ASM9, mv);
            this.owner = type.getName();
            this.methodName = method.getInternalName();
            this.thisInitialized = !method.isConstructor();
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            flush();
            if (opcode == Opcodes.NEW) {
                unconstructed++;
            }
            if (opcode == Opcodes.NEW && NAMED_TYPES.containsKey(type)) {
                pendingNew.push(type);
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String ownerType, String name, String descriptor, boolean isInterface) {
            flush();
            super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
            if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name) && !pendingNew.isEmpty()
                    && pendingNew.peek().equals(ownerType)) {
                constructed = pendingNew.pop();
            }
            if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name)) {
                if (unconstructed > 0) {
                    unconstructed--;
                } else {
                    thisInitialized = true; // the super(...) or this(...) call
                }
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            if (constructed != null && (opcode == Opcodes.PUTSTATIC || !thisInitialized)) {
                name(fieldOwner.replace('/', '.') + "." + name);
            } else if (constructed != null && opcode == Opcodes.PUTFIELD) {
                // holder and lock: the holder's runtime class and kind decide the role (LockRoles)
                int id = Interns.lockClass(fieldOwner.replace('/', '.') + "." + name, NAMED_TYPES.get(constructed));
                constructed = null;
                super.visitInsn(Opcodes.DUP2);
                super.visitLdcInsn(id);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "nameInField", "(Ljava/lang/Object;Ljava/lang/Object;I)V", false);
            }
            flush();
            super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
        }

        /**
         * The constructed lock is stored into an array or returned: named where the array is kept or
         * where the caller puts it (found from the frames when it is made), else by its site.
         */
        private void flushInto(int opcode) {
            if (constructed != null && (opcode == Opcodes.AASTORE || opcode == Opcodes.ARETURN)) {
                byte kind = NAMED_TYPES.get(constructed);
                int site = kind == LockClasses.KIND_MONITOR ? 0 : Interns.lockClass(owner + "." + methodName + ":" + line, kind);
                constructed = null;
                super.visitInsn(Opcodes.DUP);
                super.visitLdcInsn(site);
                super.visitLdcInsn((int) kind);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "nameFromSite", "(Ljava/lang/Object;II)V", false);
            }
            flush();
        }

        /** The constructed lock was not stored in a field: name j.u.c. locks by their site. */
        private void flush() {
            if (constructed != null) {
                if (NAMED_TYPES.get(constructed) != LockClasses.KIND_MONITOR) {
                    name(owner + "." + methodName + ":" + line);
                }
                constructed = null;
            }
        }

        private void name(String className) {
            int id = Interns.lockClass(className, NAMED_TYPES.get(constructed));
            constructed = null;
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(id);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "name", "(Ljava/lang/Object;I)V", false);
        }

        @Override public void visitLineNumber(int l, Label start) { line = l; super.visitLineNumber(l, start); }
        @Override public void visitInsn(int opcode) { flushInto(opcode); super.visitInsn(opcode); }
        @Override public void visitIntInsn(int opcode, int operand) { flush(); super.visitIntInsn(opcode, operand); }
        @Override public void visitVarInsn(int opcode, int var) { flush(); super.visitVarInsn(opcode, var); }
        @Override public void visitInvokeDynamicInsn(String n, String d, Handle h, Object... a) { flush(); super.visitInvokeDynamicInsn(n, d, h, a); }
        @Override public void visitJumpInsn(int opcode, Label label) { flush(); super.visitJumpInsn(opcode, label); }
        @Override public void visitLabel(Label label) { flush(); super.visitLabel(label); }
        @Override public void visitLdcInsn(Object value) { flush(); super.visitLdcInsn(value); }
        @Override public void visitIincInsn(int var, int increment) { flush(); super.visitIincInsn(var, increment); }
        @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) { flush(); super.visitTableSwitchInsn(min, max, dflt, labels); }
        @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) { flush(); super.visitLookupSwitchInsn(dflt, keys, labels); }
        @Override public void visitMultiANewArrayInsn(String d, int dims) { flush(); super.visitMultiANewArrayInsn(d, dims); }
        @Override public void visitMaxs(int maxStack, int maxLocals) { flush(); super.visitMaxs(maxStack + 3, maxLocals); }
    }
}
