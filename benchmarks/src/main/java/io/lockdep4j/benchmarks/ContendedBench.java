package io.lockdep4j.benchmarks;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Two threads hammering one ReentrantLock (group of 2 on a 2-core machine). */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContendedBench {
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock cdlfLock = CycleDetectingLockFactory
            .newInstance(CycleDetectingLockFactory.Policies.THROW).newReentrantLock("contended");
    private long counter;

    @Setup
    public void setup() {
        Peers.setup();
    }

    @Benchmark
    @Group("reentrantLock")
    @GroupThreads(2)
    public long lockUnlock() {
        lock.lock();
        try {
            return ++counter;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    @Group("cdlfReentrantLock")
    @GroupThreads(2)
    public long cdlfLockUnlock() {
        cdlfLock.lock();
        try {
            return ++counter;
        } finally {
            cdlfLock.unlock();
        }
    }
}
