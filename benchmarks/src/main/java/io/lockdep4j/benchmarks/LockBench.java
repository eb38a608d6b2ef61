package io.lockdep4j.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * Uncontended acquire+release, one thread. Every lock is created by {@code new} straight into a
 * field, so the lockdep4j agent names its class by the field ({@code LockBench.rl1}) and, after
 * the first iteration, every acquisition is on a known chain: this is the agent's steady-state
 * hot path. Nested benchmarks always take the locks in the same order (known edges).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockBench {
    private final Object mon1 = new Object();
    private final Object mon2 = new Object();
    private final Object mon3 = new Object();
    private final Object mon4 = new Object();
    private final ReentrantLock rl1 = new ReentrantLock();
    private final ReentrantLock rl2 = new ReentrantLock();
    private final ReentrantLock rl3 = new ReentrantLock();
    private final ReentrantLock rl4 = new ReentrantLock();
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private long counter;

    @Setup
    public void setup() {
        Peers.setup();
    }

    @Benchmark
    public long syncUncontended() {
        synchronized (mon1) {
            return ++counter;
        }
    }

    @Benchmark
    public long syncNested2() {
        synchronized (mon1) {
            synchronized (mon2) {
                return ++counter;
            }
        }
    }

    @Benchmark
    public long syncNested4() {
        synchronized (mon1) {
            synchronized (mon2) {
                synchronized (mon3) {
                    synchronized (mon4) {
                        return ++counter;
                    }
                }
            }
        }
    }

    @Benchmark
    public long reentrantLock() {
        rl1.lock();
        try {
            return ++counter;
        } finally {
            rl1.unlock();
        }
    }

    @Benchmark
    public long reentrantLockNested2() {
        rl1.lock();
        try {
            rl2.lock();
            try {
                return ++counter;
            } finally {
                rl2.unlock();
            }
        } finally {
            rl1.unlock();
        }
    }

    @Benchmark
    public long reentrantLockNested4() {
        rl1.lock();
        try {
            rl2.lock();
            try {
                rl3.lock();
                try {
                    rl4.lock();
                    try {
                        return ++counter;
                    } finally {
                        rl4.unlock();
                    }
                } finally {
                    rl3.unlock();
                }
            } finally {
                rl2.unlock();
            }
        } finally {
            rl1.unlock();
        }
    }

    @Benchmark
    public long rwRead() {
        ReentrantReadWriteLock.ReadLock r = rw.readLock();
        r.lock();
        try {
            return counter + 1;
        } finally {
            r.unlock();
        }
    }

    @Benchmark
    public long rwWrite() {
        ReentrantReadWriteLock.WriteLock w = rw.writeLock();
        w.lock();
        try {
            return ++counter;
        } finally {
            w.unlock();
        }
    }
}
