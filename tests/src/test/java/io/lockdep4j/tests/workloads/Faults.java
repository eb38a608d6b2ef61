package io.lockdep4j.tests.workloads;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongBinaryOperator;

/**
 * Workloads of issue 8 (faults inside the agent are contained), run by {@code AgentFaultsEndToEndTest}
 * with and without the agent: {@code java -cp test-classes io.lockdep4j.tests.workloads.Faults NAME}.
 * Each prints {@code result N}, a value that depends only on the program, never on the agent or
 * on thread interleaving, then {@code faults NAME done}.
 * <ul>
 *   <li>{@code untransformable}: two classes that are hard to transform, each defined
 *       {@link #LOADS} times in its own loader and run: a generated class whose method is just
 *       under the JVM's 64 KB code limit and is nothing but {@code synchronized} blocks, so that
 *       the agent's MONITORENTER/MONITOREXIT hooks cannot fit; and {@link RuntimeDerived}, whose
 *       super class was defined from bytes by a loader that serves no class files, so Byte Buddy's
 *       type pool cannot resolve it (as with classes that frameworks generate at run time; the agent
 *       now instruments it anyway, as it builds only declared-method graphs). Then
 *       an ordinary lock-order inversion ({@link Left}/{@link Right}, one order after the other).</li>
 *   <li>{@code nested}: threads taking nested monitors and ReentrantLocks in one consistent order,
 *       then the same inversion (for the fault-injection switch {@code lockdep4j.test.failEveryNth}).</li>
 * </ul>
 */
public final class Faults {
    /** Same-named copies of each untransformable class, each in its own loader: one failure per load. */
    public static final int LOADS = 5;
    /** Synchronized blocks in the huge method: 8 bytes each, 64,002 bytes of code in all. */
    static final int HUGE_BLOCKS = 8000;
    public static final String HUGE_CLASS = "io.lockdep4j.tests.workloads.GeneratedHugeSync";

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        long result;
        switch (name) {
            case "untransformable": result = untransformable(); break;
            case "nested": result = nested(Integer.parseInt(args.length > 1 ? args[1] : "8"), Long.parseLong(args.length > 2 ? args[2] : "20000")); break;
            default:
                System.err.println("unknown workload '" + name + "'");
                System.exit(3);
                return;
        }
        System.out.println("result " + result);
        System.out.println("faults " + name + " done");
    }

    // ---- the inversion every workload ends with: Left then Right, later Right then Left

    public static final class Left {}

    public static final class Right {}

    /**
     * Each order is taken this often: with injected failures some acquisitions go unrecorded, and
     * the agent records a chain again until it was recorded once.
     */
    static final int INVERSION_ROUNDS = 10;

    static long inversion() throws InterruptedException {
        Left left = new Left();
        Right right = new Right();
        long[] sum = new long[1];
        Scenarios.inSequence(() -> {
            for (int round = 0; round < INVERSION_ROUNDS; round++) {
                synchronized (left) {
                    synchronized (right) {
                        sum[0] += 1;
                    }
                }
            }
        }, () -> {
            for (int round = 0; round < INVERSION_ROUNDS; round++) {
                synchronized (right) {
                    synchronized (left) {
                        sum[0] += 2;
                    }
                }
            }
        });
        return sum[0];
    }

    // ---- a class the agent cannot transform

    static long untransformable() throws Exception {
        byte[] huge = hugeSyncClass(HUGE_CLASS.replace('.', '/'), HUGE_BLOCKS);
        byte[] base = classFile(RuntimeBase.class);
        byte[] derived = classFile(RuntimeDerived.class);
        long sum = 0;
        for (int k = 0; k < LOADS; k++) {
            Class<?> c = new Soak.BytesLoader(Faults.class.getClassLoader()).define(HUGE_CLASS, huge);
            LongBinaryOperator op = (LongBinaryOperator) c.getDeclaredConstructor().newInstance();
            sum += op.applyAsLong(k, 0); // k + HUGE_BLOCKS

            // the platform loader as parent: nobody can serve RuntimeBase's class file
            Soak.BytesLoader loader = new Soak.BytesLoader(ClassLoader.getPlatformClassLoader());
            loader.define(RuntimeBase.class.getName(), base);
            Class<?> d = loader.define(RuntimeDerived.class.getName(), derived);
            op = (LongBinaryOperator) d.getDeclaredConstructor().newInstance();
            sum = sum * 31 + op.applyAsLong(k, 7);
        }
        return sum * 31 + inversion();
    }

    static byte[] classFile(Class<?> c) throws IOException {
        String name = c.getName();
        try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defined from bytes at run time, in a loader that exposes no class files (see untransformable). */
    public static class RuntimeBase {
        public final Object baseLock = new Object();

        public long base(long x) {
            synchronized (baseLock) {
                return x * 3;
            }
        }
    }

    /** Its super class cannot be resolved by Byte Buddy's type pool; instrumented all the same. */
    public static class RuntimeDerived extends RuntimeBase implements LongBinaryOperator {
        public final Object derivedLock = new Object();

        @Override
        public long applyAsLong(long a, long b) {
            synchronized (derivedLock) {
                return base(a) + b;
            }
        }
    }

    /**
     * A class file (version 49, so no stack map frames are needed) implementing LongBinaryOperator
     * whose {@code applyAsLong(a, b)} repeats {@code blocks} times
     * {@code aload_0; monitorenter; lload_1; lconst_1; ladd; lstore_1; aload_0; monitorexit} and
     * returns {@code a + blocks}. The agent's hooks add {@code dup; invokestatic} (4 bytes) before
     * every monitorenter and monitorexit: 16 bytes a block, 128,002 bytes of code, which no class
     * file can hold (ASM's MethodTooLargeException inside Byte Buddy).
     */
    static byte[] hugeSyncClass(String internalName, int blocks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(49);
        String[] utf8 = {null, internalName, null, "java/lang/Object", null, "java/util/function/LongBinaryOperator",
                null, "<init>", "()V", null, null, "applyAsLong", "(JJ)J", "Code"};
        out.writeShort(utf8.length); // constant pool count: entries 1..13
        for (int i = 1; i < utf8.length; i++) {
            switch (i) {
                case 2, 4, 6 -> { out.writeByte(7); out.writeShort(i - 1); } // Class
                case 9 -> { out.writeByte(12); out.writeShort(7); out.writeShort(8); } // NameAndType <init> ()V
                case 10 -> { out.writeByte(10); out.writeShort(4); out.writeShort(9); } // Methodref Object.<init>
                default -> { out.writeByte(1); out.writeUTF(utf8[i]); }
            }
        }
        out.writeShort(0x21); // public super
        out.writeShort(2);
        out.writeShort(4);
        out.writeShort(1);
        out.writeShort(6);
        out.writeShort(0); // fields
        out.writeShort(2); // methods
        byte[] init = {0x2a, (byte) 0xb7, 0, 10, (byte) 0xb1};
        method(out, 7, 8, 1, 1, init);
        byte[] block = {0x2a, (byte) 0xc2, 0x1f, 0x0a, 0x61, 0x40, 0x2a, (byte) 0xc3};
        byte[] code = new byte[blocks * block.length + 2];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(block, 0, code, b * block.length, block.length);
        }
        code[code.length - 2] = 0x1f; // lload_1
        code[code.length - 1] = (byte) 0xad; // lreturn
        if (code.length > 65535) {
            throw new IllegalArgumentException("the generated method must itself be valid: " + code.length + " bytes");
        }
        method(out, 11, 12, 4, 5, code);
        out.writeShort(0); // class attributes
        out.flush();
        return bytes.toByteArray();
    }

    private static void method(DataOutputStream out, int name, int descriptor, int maxStack, int maxLocals, byte[] code) throws IOException {
        out.writeShort(0x01); // public
        out.writeShort(name);
        out.writeShort(descriptor);
        out.writeShort(1);
        out.writeShort(13); // "Code"
        out.writeInt(12 + code.length);
        out.writeShort(maxStack);
        out.writeShort(maxLocals);
        out.writeInt(code.length);
        out.write(code);
        out.writeShort(0); // exception table
        out.writeShort(0); // attributes
    }

    // ---- nested locks on several threads, in one consistent order

    /** Four locks always taken in the order outer, middle, inner, last (the last with tryLock). */
    public static final class Nest {
        final Object outer = new Object();
        final ReentrantLock middle = new ReentrantLock();
        final Object inner = new Object();
        final ReentrantLock last = new ReentrantLock();
    }

    static long nested(int threads, long stepsPerThread) throws InterruptedException {
        Nest[] nests = {new Nest(), new Nest(), new Nest(), new Nest()};
        long[] sums = new long[threads];
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                long s = 0;
                for (long step = 0; step < stepsPerThread; step++) {
                    Nest n = nests[(int) ((step + me) & 3)];
                    synchronized (n.outer) {
                        n.middle.lock();
                        try {
                            synchronized (n.inner) {
                                if (n.last.tryLock()) {
                                    try {
                                        s += step;
                                    } finally {
                                        n.last.unlock();
                                    }
                                } else {
                                    s += step; // taken by another thread: same sum either way
                                }
                            }
                        } finally {
                            n.middle.unlock();
                        }
                    }
                }
                sums[me] = s;
            }, "nested-" + t);
            ts.add(th);
            th.start();
        }
        long total = 0;
        for (int t = 0; t < threads; t++) {
            ts.get(t).join();
            total += sums[t];
        }
        return total * 31 + inversion();
    }

    private Faults() {}
}
