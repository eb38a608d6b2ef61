package io.lockdep4j.tests.workloads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads instrumented JDK classes (ThreadPoolExecutor, FutureTask) only after the agent started, as a
 * JUnit fork does: a start from a cache filled by HelloWorld finds them missing (TransformCacheEndToEndTest).
 */
public final class LateJdkClasses {
    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        Future<String> f = pool.submit(() -> "late");
        System.out.println(f.get());
        pool.shutdown();
    }
}
