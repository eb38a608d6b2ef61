package io.lockdep4j.tests.workloads;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongBinaryOperator;

/**
 * Template for the soak test's generated lock classes: {@link Soak} copies these bytes, renames the
 * class (same-length name, so the constant pool stays valid) and defines each copy in its own class
 * loader. Every copy has its own two lock classes ({@code <name>.lock} and the monitor
 * {@code <name>.monitor}), so a thousand copies give the agent two thousand lock classes.
 */
public final class SoakLock00000 implements LongBinaryOperator {
    private final ReentrantLock lock = new ReentrantLock();
    private final Object monitor = new Object();
    private long total;

    /**
     * Adds {@code x} under both locks and returns the running total; throws inside the critical
     * section when {@code fail != 0}, after the addition, so the host's sum is still deterministic.
     */
    @Override
    public long applyAsLong(long x, long fail) {
        synchronized (monitor) {
            lock.lock();
            try {
                total += x;
                if (fail != 0) {
                    throw new IllegalStateException("thrown inside the critical section");
                }
                return total;
            } finally {
                lock.unlock();
            }
        }
    }
}
