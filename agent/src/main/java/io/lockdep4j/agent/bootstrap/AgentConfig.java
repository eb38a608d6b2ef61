package io.lockdep4j.agent.bootstrap;

/**
 * Runtime settings the bootstrap side reads on its paths. Written once by the agent at start-up,
 * before any instrumentation is installed.
 */
public final class AgentConfig {
    private AgentConfig() {}

    public static volatile String version = "unknown";
    public static volatile String options = "";
    /** A java.util.concurrent acquisition that waited longer than this emits lockdep4j.LockContended. */
    public static volatile long contendedThresholdNanos = 10_000_000L;
    /** Holds longer than this emit lockdep4j.LockHeld; 0 disables hold timing (it costs two clock reads). */
    public static volatile long holdThresholdNanos = 0L;
    /** The most locks one thread may hold that the agent tracks; deeper acquisitions are counted only. */
    public static volatile int maxHeldDepth = 48;
}
