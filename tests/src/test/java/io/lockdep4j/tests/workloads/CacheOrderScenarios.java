package io.lockdep4j.tests.workloads;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Two classes whose locks are named by their fields, loaded in the order the argument says
 * ({@code alpha-first} or {@code beta-first}), so that a JVM gives their lock-class ids in that
 * order; then one order between them each way by kind: Alpha.lock before Beta.lock, Beta.monitor
 * before Alpha.monitor (TransformCacheEndToEndTest: bytes cached by a JVM that gave other ids).
 */
public final class CacheOrderScenarios {
    static final class Alpha {
        final ReentrantLock lock = new ReentrantLock();
        final Object monitor = new Object();
    }

    static final class Beta {
        final ReentrantLock lock = new ReentrantLock();
        final Object monitor = new Object();
    }

    public static void main(String[] args) {
        Object first = args[0].equals("alpha-first") ? new Alpha() : new Beta();
        Alpha a = first instanceof Alpha ? (Alpha) first : new Alpha();
        Beta b = first instanceof Beta ? (Beta) first : new Beta();
        a.lock.lock();
        try {
            b.lock.lock();
            b.lock.unlock();
        } finally {
            a.lock.unlock();
        }
        synchronized (b.monitor) {
            synchronized (a.monitor) {
                System.out.println("done");
            }
        }
    }
}
