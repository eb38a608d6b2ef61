package io.lockdep4j.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * One key for a class file whatever the order of its methods (as HotSpot reconstitutes a
 * retransformed class), another for other bytes, and the key is itself a class that loads and runs.
 */
class ClassFileLayoutTest {
    /** A class with static methods m0() .. m4() returning 0 .. 4, and a field. */
    static byte[] numbers(int offset) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "io/lockdep4j/Numbers", null, "java/lang/Object", null);
        w.visitField(Opcodes.ACC_STATIC, "f", "I", null, null).visitEnd();
        for (int i = 0; i < 5; i++) {
            MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m" + i, "()I", null, null);
            m.visitLdcInsn(i + offset);
            m.visitInsn(Opcodes.IRETURN);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    /** The same class file with its method_info blocks in reverse order (read independently of ClassFileLayout, with ASM's header offset). */
    static byte[] methodsReversed(byte[] b) {
        int p = new ClassReader(b).header + 6;
        p += 2 + 2 * u2(b, p);
        p = skipMembers(b, p, null);
        int count = u2(b, p);
        List<byte[]> methods = new ArrayList<>();
        int[] ends = new int[count];
        int end = skipMembers(b, p, ends);
        int from = p + 2;
        for (int e : ends) {
            methods.add(Arrays.copyOfRange(b, from, e));
            from = e;
        }
        Collections.reverse(methods);
        byte[] out = b.clone();
        int q = p + 2;
        for (byte[] m : methods) {
            System.arraycopy(m, 0, out, q, m.length);
            q += m.length;
        }
        assertEquals(end, q);
        return out;
    }

    static int skipMembers(byte[] b, int p, int[] ends) {
        int n = u2(b, p);
        p += 2;
        for (int i = 0; i < n; i++) {
            int attributes = u2(b, p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                p += 6 + (u2(b, p + 2) << 16 | u2(b, p + 4));
            }
            if (ends != null) {
                ends[i] = p;
            }
        }
        return p;
    }

    static int u2(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    @Test
    void theMethodsOrderDoesNotChangeTheKey() {
        byte[] b = numbers(0);
        byte[] reversed = methodsReversed(b);
        assertFalse(Arrays.equals(b, reversed), "the test reorders something");
        assertArrayEquals(ClassFileLayout.methodsInCanonicalOrder(b), ClassFileLayout.methodsInCanonicalOrder(reversed));
    }

    @Test
    void otherBytesHaveAnotherKey() {
        assertFalse(Arrays.equals(ClassFileLayout.methodsInCanonicalOrder(numbers(0)), ClassFileLayout.methodsInCanonicalOrder(numbers(10))));
    }

    @Test
    void theKeyIsAClassThatRuns() throws Exception {
        byte[] canonical = ClassFileLayout.methodsInCanonicalOrder(methodsReversed(numbers(0)));
        Class<?> c = new ClassLoader(null) {
            Class<?> define() {
                return defineClass("io.lockdep4j.Numbers", canonical, 0, canonical.length);
            }
        }.define();
        for (int i = 0; i < 5; i++) {
            assertEquals(i, c.getMethod("m" + i).invoke(null));
        }
        assertEquals(1, c.getDeclaredFields().length);
    }

    @Test
    void bytesItCannotReadAreTheirOwnKey() {
        byte[] notAClass = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        assertSame(notAClass, ClassFileLayout.methodsInCanonicalOrder(notAClass));
        byte[] truncated = Arrays.copyOf(numbers(0), 200);
        assertSame(truncated, ClassFileLayout.methodsInCanonicalOrder(truncated));
    }
}
