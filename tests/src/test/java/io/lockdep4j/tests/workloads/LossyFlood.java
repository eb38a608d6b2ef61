package io.lockdep4j.tests.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * A flood of new lock chains with real lock-order cycles inside it (issue "Nothing lost"): the
 * soak's generated lock classes taken in a consistent order by {@code flood.threads} threads
 * ({@code flood.acquisitions} in all, over {@code flood.classes} copies: tens of thousands of new
 * chains, each a JFR event with a stack), while the same threads, spread over their steps, take
 * {@code flood.pairs} pairs of further copies in both orders ({@code A -> B} on one thread,
 * {@code B -> A} on the next): {@code flood.pairs} two-lock cycles whose edge events sit among the
 * flood's, so when JFR discards buffers some of them are lost with it. Prints {@code pair K A B}
 * for each cycle (the two lock classes) and {@code flood done}.
 *
 * <p>The cycles never deadlock for real: a pair's second half waits until its first half is done
 * (a latch, with no lock held). Without that, the two halves, which sit at the same step of two
 * threads, met often enough to hang the run: the first acquisition of a new edge is the agent's
 * slow path, and a report of the cycle on stderr makes it slower still.
 *
 * <p>With {@code flood.cyclesFirst=true} the cycles are taken before the flood starts (each half on
 * its own short-lived thread), so a recording that keeps only its newest events (JFR's in-memory
 * ring, {@code disk=false}) has lost every cycle edge event by the end.
 */
public final class LossyFlood {
    public static void main(String[] args) throws Exception {
        int classes = Integer.getInteger("flood.classes", 300);
        int threads = Math.max(2, Integer.getInteger("flood.threads", 16));
        long acquisitions = Long.getLong("flood.acquisitions", 500_000L);
        int pairs = Integer.getInteger("flood.pairs", 100);
        LongBinaryOperator[] copies = Soak.defineCopies(classes + 2 * pairs);
        LongBinaryOperator[] flood = java.util.Arrays.copyOf(copies, classes);
        long stepsPerThread = acquisitions / 3 / threads;

        // thread t takes the halves assigned to it, spread evenly over its steps
        List<List<int[]>> halves = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            halves.add(new ArrayList<>());
        }
        for (int p = 0; p < pairs; p++) {
            halves.get(p % threads).add(new int[] {p, 0});
            halves.get((p + 1) % threads).add(new int[] {p, 1});
        }
        java.util.concurrent.CountDownLatch[] firstHalfDone = new java.util.concurrent.CountDownLatch[pairs];
        for (int p = 0; p < pairs; p++) {
            firstHalfDone[p] = new java.util.concurrent.CountDownLatch(1);
        }
        AtomicLong thrown = new AtomicLong();
        boolean cyclesFirst = Boolean.getBoolean("flood.cyclesFirst");
        if (cyclesFirst) {
            for (int half = 0; half < 2; half++) {
                int h = half;
                Thread t = new Thread(() -> {
                    for (int p = 0; p < pairs; p++) {
                        nest(copies[classes + 2 * p + h], copies[classes + 2 * p + 1 - h]);
                    }
                }, "cycles-" + half);
                t.start();
                t.join();
                halves.forEach(List::clear);
            }
        }
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<int[]> mine = halves.get(t);
            long seed = 2000L + t;
            Thread w = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                long chunk = Math.max(1, stepsPerThread / (mine.size() + 1));
                for (int[] half : mine) {
                    Soak.steps(flood, random, chunk, thrown);
                    Object a = copies[classes + 2 * half[0]];
                    Object b = copies[classes + 2 * half[0] + 1];
                    if (half[1] == 0) {
                        nest(a, b);
                        firstHalfDone[half[0]].countDown();
                    } else {
                        // each thread's halves go by increasing pair: every first half it waits for
                        // comes after halves that wait only for smaller pairs, so this never hangs
                        awaitUninterruptibly(firstHalfDone[half[0]]);
                        nest(b, a);
                    }
                }
                Soak.steps(flood, random, chunk, thrown);
            }, "flood-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        for (int p = 0; p < pairs; p++) {
            System.out.println("pair " + p + " " + copies[classes + 2 * p].getClass().getName() + " "
                    + copies[classes + 2 * p + 1].getClass().getName());
        }
        System.out.println("thrown " + thrown.get());
        System.out.println("flood done");
    }

    private static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the workload is never interrupted; keep waiting
            }
        }
    }

    private static void nest(Object first, Object second) {
        synchronized (first) {
            synchronized (second) {
                Thread.onSpinWait();
            }
        }
    }
}
