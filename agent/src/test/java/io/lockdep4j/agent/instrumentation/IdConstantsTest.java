package io.lockdep4j.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.IntSupplier;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/** A cached template runs with this JVM's ids patched in, and nothing else in the class changes. */
class IdConstantsTest {
    static final int LOCK_ID = 5;
    static final int SITE_ID = 3;

    /** A class with methods a() .. d() returning: a tagged lock-class id, a negated tagged site, a plain 100000, a long and a string. */
    static byte[] template(int extraConstant) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "io/lockdep4j/IdTemplate", null, "java/lang/Object", new String[] {"java/util/function/IntSupplier"});
        w.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "K", "I", null, extraConstant).visitEnd(); // a ConstantValue
        MethodVisitor init = w.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC, "getAsInt", "()I", null, null);
        // lock id + 10 * (-site) + 100000 + a long constant's low bits: every constant ends up in the sum
        m.visitLdcInsn(IdConstants.tagged(Interns.LOCK_CLASS, LOCK_ID));
        m.visitLdcInsn(-IdConstants.tagged(Interns.MONITOR_SITE, SITE_ID));
        m.visitIntInsn(Opcodes.BIPUSH, 10);
        m.visitInsn(Opcodes.IMUL);
        m.visitInsn(Opcodes.IADD);
        m.visitLdcInsn(100000);
        m.visitInsn(Opcodes.IADD);
        m.visitLdcInsn(7_000_000_000L);
        m.visitInsn(Opcodes.L2I);
        m.visitInsn(Opcodes.IADD);
        m.visitLdcInsn("a string");
        m.visitInsn(Opcodes.POP);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        w.visitEnd();
        return w.toByteArray();
    }

    static int run(byte[] classFile) throws Exception {
        Class<?> c = new ClassLoader(IdConstantsTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass("io.lockdep4j.IdTemplate", classFile, 0, classFile.length);
            }
        }.define();
        return ((IntSupplier) c.getConstructor().newInstance()).getAsInt();
    }

    static final int LOW_BITS = (int) 7_000_000_000L;

    @Test
    void theIdsThisJvmGaveArePatchedIn() throws Exception {
        byte[] template = template(42);
        Map<Integer, Integer> ids = Map.of(IdConstants.tagged(Interns.LOCK_CLASS, LOCK_ID), 41,
                IdConstants.tagged(Interns.MONITOR_SITE, SITE_ID), 17);
        byte[] patched = IdConstants.patch(template, ids);
        assertEquals(template.length, patched.length);
        assertEquals(41 + 10 * -17 + 100000 + LOW_BITS, run(patched));
        // the same ids as the template's: the first JVM's bytes
        byte[] given = IdConstants.patch(template, Map.of(IdConstants.tagged(Interns.LOCK_CLASS, LOCK_ID), LOCK_ID,
                IdConstants.tagged(Interns.MONITOR_SITE, SITE_ID), SITE_ID));
        assertEquals(LOCK_ID + 10 * -SITE_ID + 100000 + LOW_BITS, run(given));
    }

    @Test
    void aTaggedConstantWithoutAnIdIsNotPatchedAtAll() {
        assertNull(IdConstants.patch(template(42), Map.of(IdConstants.tagged(Interns.LOCK_CLASS, LOCK_ID), 41)));
        assertNull(IdConstants.patch(new byte[] {1, 2, 3}, Map.of()));
    }

    @Test
    void aClassWhoseOwnConstantsLookTaggedIsNotTagged() {
        assertTrue(IdConstants.anyTagged(template(42)), "the template itself holds tagged values");
        // a plain class: ASM puts 100000 and 42 into the constant pool, neither looks tagged
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "io/lockdep4j/Plain", null, "java/lang/Object", null);
        w.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "K", "I", null, 100000).visitEnd();
        w.visitEnd();
        assertFalse(IdConstants.anyTagged(w.toByteArray()));
        ClassWriter t = new ClassWriter(0);
        t.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "io/lockdep4j/Looks", null, "java/lang/Object", null);
        t.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "K", "I", null, -(IdConstants.TAG | 9)).visitEnd();
        t.visitEnd();
        assertTrue(IdConstants.anyTagged(t.toByteArray()), "a negated tagged-looking constant");
        assertEquals(0, IdConstants.tagged(Interns.LOCK_CLASS, 0), "no id stays 0");
    }
}
