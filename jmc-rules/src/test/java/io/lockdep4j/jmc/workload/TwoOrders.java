package io.lockdep4j.jmc.workload;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A workload for recordings made by the tests: {@code inverted} takes two locks in opposite
 * orders on two threads, one after the other (so it never deadlocks, but could); {@code consistent}
 * takes them in the same order on both threads.
 */
public final class TwoOrders {
    static final Object tableLock = new Object();
    static final ReentrantLock indexLock = new ReentrantLock();

    public static void main(String[] args) throws Exception {
        boolean inverted = args.length > 0 && args[0].equals("inverted");
        Thread first = new Thread(TwoOrders::tableThenIndex, "writer-1");
        first.start();
        first.join();
        Thread second = new Thread(inverted ? TwoOrders::indexThenTable : TwoOrders::tableThenIndex, "writer-2");
        second.start();
        second.join();
        System.out.println("workload done");
    }

    static void tableThenIndex() {
        synchronized (tableLock) {
            indexLock.lock();
            try {
                Thread.onSpinWait();
            } finally {
                indexLock.unlock();
            }
        }
    }

    static void indexThenTable() {
        indexLock.lock();
        try {
            synchronized (tableLock) {
                Thread.onSpinWait();
            }
        } finally {
            indexLock.unlock();
        }
    }
}
