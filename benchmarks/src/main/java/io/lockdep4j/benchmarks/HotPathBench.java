package io.lockdep4j.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's hot path taken apart, without the agent: the real bootstrap classes are put on the
 * boot class path ({@code -Xbootclasspath/a:lockdep4j-bootstrap.jar}, extracted from the agent
 * jar by bench.sh) and called through constant method handles (which C2 inlines like direct
 * calls), so no lock is actually taken and no advice is involved. Not part of the default run:
 * {@code BREAKDOWN=1 ./bench.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBench {
    private static final MethodHandle MONITOR_ENTER;
    private static final MethodHandle MONITOR_EXIT;
    private static final MethodHandle BEFORE_LOCK;
    private static final MethodHandle AFTER_LOCK;
    private static final MethodHandle UNLOCK;
    private static final MethodHandle REGISTRY_GET;
    private static final MethodHandle NAME;
    private static final MethodHandle INTERN;
    private static final MethodHandle SET_ACTIVE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> hooks = Class.forName("io.lockdep4j.agent.bootstrap.Hooks", true, null);
            Class<?> registry = Class.forName("io.lockdep4j.agent.bootstrap.LockRegistry", true, null);
            MONITOR_ENTER = l.findStatic(hooks, "monitorEnter", MethodType.methodType(void.class, Object.class));
            MONITOR_EXIT = l.findStatic(hooks, "monitorExit", MethodType.methodType(void.class, Object.class));
            BEFORE_LOCK = l.findStatic(hooks, "beforeLock", MethodType.methodType(Object.class, ReentrantLock.class));
            AFTER_LOCK = l.findStatic(hooks, "afterLock",
                    MethodType.methodType(void.class, Object.class, boolean.class, Object.class, Throwable.class));
            UNLOCK = l.findStatic(hooks, "unlock", MethodType.methodType(void.class, Object.class, boolean.class));
            REGISTRY_GET = l.findStatic(registry, "get", MethodType.methodType(int.class, Object.class));
            NAME = l.findStatic(hooks, "name", MethodType.methodType(void.class, Object.class, int.class));
            INTERN = l.findStatic(hooks, "internClass", MethodType.methodType(int.class, String.class, byte.class));
            SET_ACTIVE = l.findStaticSetter(hooks, "active", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("run with -Xbootclasspath/a:lockdep4j-bootstrap.jar: " + e);
        }
    }

    /** Same shape as ThreadRecords.OWNER, the hooks' fallback: a ThreadLocal subclass with initialValue. */
    private static final ThreadLocal<long[]> TL = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            return new long[1];
        }
    };

    private final Object mon = new Object();
    private final ReentrantLock rl = new ReentrantLock();
    /** A replica of the chain table probe: LongTable(1 << 18), one known key. */
    private final long[] keys = new long[1 << 18];
    private final long[] values = new long[1 << 18];
    private long key;

    @Setup
    public void setup() throws Throwable {
        int monId = (int) INTERN.invokeExact("HotPathBench.mon", (byte) 0);
        int rlId = (int) INTERN.invokeExact("HotPathBench.rl", (byte) 1);
        NAME.invokeExact(mon, monId);
        NAME.invokeExact((Object) rl, rlId);
        SET_ACTIVE.invokeExact(true);
        key = mix(0x6c6f636b64657034L, rlId, (byte) 1, false);
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        keys[i] = key;
        values[i] = -1L;
    }

    static long mix(long prev, int classId, byte mode, boolean trylock) {
        long h = prev * 0x9E3779B97F4A7C15L + (((long) classId << 2) | ((long) mode << 1) | (trylock ? 1 : 0));
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return h == 0 ? 1 : h;
    }

    /** A replica of ThreadRecords: each thread's record in a table by thread id, trusted by identity. */
    private static final Rec[] BY_ID = new Rec[1 << 12];

    private static final class Rec {
        final java.lang.ref.WeakReference<Thread> self;
        long value;

        Rec(Thread t) {
            self = new java.lang.ref.WeakReference<>(t);
        }
    }

    // ---- parts

    @Benchmark
    @SuppressWarnings("deprecation") // getId: the agent runs on JDK 17, which has no threadId()
    public long threadRecordsReplica() {
        Thread t = Thread.currentThread();
        int slot = (int) t.getId() & (BY_ID.length - 1);
        Rec r = BY_ID[slot];
        if (r == null || r.self.get() != t) {
            r = new Rec(t);
            BY_ID[slot] = r;
        }
        return r.value;
    }

    @Benchmark
    public long threadLocalGet() {
        return TL.get()[0];
    }

    @Benchmark
    public int identityHashCode() {
        return System.identityHashCode(rl);
    }

    @Benchmark
    public int lockRegistryGet() throws Throwable {
        return (int) REGISTRY_GET.invokeExact((Object) rl);
    }

    @Benchmark
    public long chainProbeReplica() {
        long k = mix(0x6c6f636b64657034L, 2, (byte) 1, false);
        int mask = keys.length - 1;
        for (int i = (int) (k ^ (k >>> 32)) & mask; ; i = (i + 1) & mask) {
            long x = keys[i];
            if (x == k) {
                return values[i];
            }
            if (x == 0) {
                return 0;
            }
        }
    }

    // ---- the real hooks, as the advice calls them, on a lock that is not actually taken

    @Benchmark
    public void hooksMonitorEnterExit() throws Throwable {
        MONITOR_ENTER.invokeExact(mon);
        MONITOR_EXIT.invokeExact(mon);
    }

    @Benchmark
    public void hooksReentrantLock() throws Throwable {
        Object timer = (Object) BEFORE_LOCK.invokeExact(rl);
        AFTER_LOCK.invokeExact((Object) rl, true, timer, (Throwable) null);
        UNLOCK.invokeExact((Object) rl, true);
    }

    /** What a skipped afterLock (no timer, no throw) would save. */
    @Benchmark
    public void hooksReentrantLockNoAfter() throws Throwable {
        Object timer = (Object) BEFORE_LOCK.invokeExact(rl);
        UNLOCK.invokeExact((Object) rl, true);
    }

    @Benchmark
    public long plainReentrantLock() {
        rl.lock();
        try {
            return key;
        } finally {
            rl.unlock();
        }
    }

    @Benchmark
    public long plainSynchronized() {
        synchronized (mon) {
            return key;
        }
    }
}
