package io.lockdep4j.benchmarks;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same shapes as {@link LockBench} with Guava {@link CycleDetectingLockFactory} locks (run
 * without any agent). CDLF only checks its own locks: there is no {@code synchronized} variant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CdlfBench {
    private static final CycleDetectingLockFactory FACTORY =
            CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.THROW);

    private final ReentrantLock rl1 = FACTORY.newReentrantLock("rl1");
    private final ReentrantLock rl2 = FACTORY.newReentrantLock("rl2");
    private final ReentrantLock rl3 = FACTORY.newReentrantLock("rl3");
    private final ReentrantLock rl4 = FACTORY.newReentrantLock("rl4");
    private final ReentrantReadWriteLock rw = FACTORY.newReentrantReadWriteLock("rw");
    private long counter;

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
