package io.lockdep4j.agent.bootstrap;

import java.util.HashMap;
import java.util.Map;

/** Initial reference counts per class name (refcountClasses=Class#get:put[:initial]); written once at start-up. */
public final class RefcountConfig {
    private RefcountConfig() {}

    private static volatile Map<String, Long> initial = new HashMap<String, Long>();

    public static void set(Map<String, Long> values) {
        initial = new HashMap<String, Long>(values);
    }

    static long initial(String className) {
        Long v = initial.get(className);
        return v == null ? 0 : v;
    }
}
