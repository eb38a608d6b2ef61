package io.lockdep4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's slow path: every op nests two monitors of lock classes never seen before, so it
 * records a new chain and a new edge (and, with {@code onCycle=report}, runs the online cycle check
 * against a graph that grows by one edge per op). The lock classes are the {@code Class} objects of
 * classes defined in the setup ({@code synchronized (C.class)} is lock class {@code C.class}), so the
 * op itself does nothing but the two acquisitions. Run it with the agent and {@code onCycle=off}, then
 * {@code onCycle=report}: the difference is the online check's cost per new edge. Single-shot batches,
 * because each op uses up its pair: at most {@link #PAIRS} ops per fork (the agent tracks 65,536 lock
 * classes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, batchSize = NewEdgeBench.BATCH)
@Measurement(iterations = 5, batchSize = NewEdgeBench.BATCH)
@Fork(1)
public class NewEdgeBench {
    static final int BATCH = 2000;
    static final int PAIRS = 8 * BATCH;

    private Class<?>[] outer;
    private Class<?>[] inner;
    private int next;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Peers.setup();
        outer = new Class<?>[PAIRS];
        inner = new Class<?>[PAIRS];
        Definer d = new Definer();
        for (int i = 0; i < PAIRS; i++) {
            outer[i] = d.define("io.lockdep4j.benchmarks.gen.Outer" + i);
            inner[i] = d.define("io.lockdep4j.benchmarks.gen.Inner" + i);
        }
    }

    @Benchmark
    public int newEdge() {
        int i = next++ % PAIRS;
        synchronized (outer[i]) {
            synchronized (inner[i]) {
                return i;
            }
        }
    }

    /** Defines empty classes from bytes written here (no library): one class file per name. */
    static final class Definer extends ClassLoader {
        Definer() {
            super(NewEdgeBench.class.getClassLoader());
        }

        Class<?> define(String name) {
            byte[] b = classFile(name.replace('.', '/'));
            return defineClass(name, b, 0, b.length);
        }

        static byte[] classFile(String internalName) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
            try {
                out.writeInt(0xCAFEBABE);
                out.writeShort(0);
                out.writeShort(52); // Java 8 class file: no StackMapTable needed, there is no code
                out.writeShort(5); // constant pool: 4 entries
                out.writeByte(1);
                out.writeUTF(internalName);
                out.writeByte(7);
                out.writeShort(1);
                out.writeByte(1);
                out.writeUTF("java/lang/Object");
                out.writeByte(7);
                out.writeShort(3);
                out.writeShort(0x0021); // public super
                out.writeShort(2);
                out.writeShort(4);
                out.writeShort(0); // interfaces
                out.writeShort(0); // fields
                out.writeShort(0); // methods
                out.writeShort(0); // attributes
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return bytes.toByteArray();
        }
    }
}
