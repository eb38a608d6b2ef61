package io.lockdep4j.tests.workloads.plugin;

/** A class the plugin loaders define themselves (their parent is the bootstrap loader). */
public final class Greeter {
    public static String greet() {
        return "hello";
    }
}
