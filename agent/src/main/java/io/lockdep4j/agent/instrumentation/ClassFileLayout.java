package io.lockdep4j.agent.instrumentation;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Where the parts of a class file are ({@code JVMS §4.1}), for the two readers that need no more:
 * {@link IdConstants} walks the constant pool, and the {@link io.lockdep4j.agent.TransformCache}
 * keys a retransformation by {@link #methodsInCanonicalOrder}.
 *
 * <p>Why that order: a retransformation's input is the class file HotSpot reconstitutes from the
 * loaded class, and it writes the methods in the order of the class's method array, which HotSpot
 * sorts by the address of each name's {@code Symbol} ({@code Method::sort_methods}; the class
 * file's own order is kept only for a JVMTI environment with {@code can_maintain_original_method_order},
 * which {@code java.lang.instrument} does not ask for). For a class outside
 * the CDS archive those addresses differ from run to run, so {@code FileChannelImpl} and
 * {@code RandomAccessFile} (retransformed by JFR's file events at every start) came in another order
 * every time, always missed the cache, and made every JVM build Byte Buddy. Everything else (the
 * constant pool, the fields, each method's bytes) is the same, and a retransformation may declare
 * its methods in any order, so a cached result of one order serves the others.
 */
public final class ClassFileLayout {
    private ClassFileLayout() {}

    /** Told each {@code CONSTANT_Integer} of a constant pool; false stops the walk. */
    interface IntegerConstants {
        boolean at(int offset, int value);
    }

    /**
     * Walks the constant pool, telling {@code integers} (may be null) the offset and value of each
     * {@code CONSTANT_Integer}; returns where the pool ends, or -1 when the file is not understood or
     * {@code integers} stopped the walk.
     */
    static int walkConstantPool(byte[] b, IntegerConstants integers) {
        if (b == null || b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
            return -1;
        }
        int count = u2(b, 8);
        int p = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[p] & 0xFF;
            switch (tag) {
                case 1: p += 3 + u2(b, p + 1); break; // Utf8
                case 3: // Integer
                    if (integers != null && !integers.at(p + 1, u4(b, p + 1))) {
                        return -1;
                    }
                    p += 5;
                    break;
                case 7: case 8: case 16: case 19: case 20: p += 3; break; // Class, String, MethodType, Module, Package
                case 4: case 9: case 10: case 11: case 12: case 17: case 18: p += 5; break;
                case 5: case 6: p += 9; i++; break; // Long, Double: two slots
                case 15: p += 4; break; // MethodHandle
                default: return -1;
            }
        }
        return p;
    }

    /**
     * The class file with its methods sorted by their bytes, everything else as it was; the input
     * itself when it cannot be read (a key then as good as before: exact bytes).
     */
    public static byte[] methodsInCanonicalOrder(byte[] b) {
        try {
            int p = walkConstantPool(b, null);
            if (p < 0) {
                return b;
            }
            p += 6; // access, this, super
            p += 2 + 2 * u2(b, p); // interfaces
            p = skipMembers(b, p, null);
            int methodsStart = p;
            int methods = u2(b, p);
            int[] ends = new int[methods + 1];
            int end = skipMembers(b, p, ends);
            if (end < 0 || end > b.length) {
                return b;
            }
            byte[][] each = new byte[methods][];
            int from = methodsStart + 2;
            for (int m = 0; m < methods; m++) {
                each[m] = Arrays.copyOfRange(b, from, ends[m]);
                from = ends[m];
            }
            Arrays.sort(each, BY_BYTES);
            byte[] out = b.clone();
            int q = methodsStart + 2;
            for (byte[] m : each) {
                System.arraycopy(m, 0, out, q, m.length);
                q += m.length;
            }
            return out;
        } catch (RuntimeException e) {
            return b;
        }
    }

    /** Not a method reference: this runs inside class loading (see IdConstants.Patcher). */
    private static final Comparator<byte[]> BY_BYTES = new Comparator<byte[]>() {
        @Override
        public int compare(byte[] x, byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
    };

    /** Skips a fields or methods table at {@code p}; notes where each member ends in {@code ends}. */
    private static int skipMembers(byte[] b, int p, int[] ends) {
        int n = u2(b, p);
        p += 2;
        for (int m = 0; m < n; m++) {
            p += 6; // access, name, descriptor
            int attributes = u2(b, p);
            p += 2;
            for (int a = 0; a < attributes; a++) {
                p += 6 + u4(b, p + 2);
            }
            if (ends != null) {
                ends[m] = p;
            }
        }
        return p;
    }

    static int u2(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    static int u4(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }
}
