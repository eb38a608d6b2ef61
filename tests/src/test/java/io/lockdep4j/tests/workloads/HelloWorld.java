package io.lockdep4j.tests.workloads;

/** A program with no locks of its own: what the agent costs a JVM that does nothing (TransformCacheEndToEndTest). */
public final class HelloWorld {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
