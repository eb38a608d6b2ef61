package io.lockdep4j.agent.bootstrap;

/**
 * Runtime settings the bootstrap side reads on its paths. Written once by the agent at start-up,
 * before any instrumentation is installed.
 */
public final class AgentConfig {
    private AgentConfig() {}

    public static volatile String version = "unknown";
    public static volatile String options = "";
    /**
     * The orderedLockClasses option, ';'-separated: lock classes whose instances the program takes in
     * one order (lockdep's subclass annotation). Only recorded: the analyzer reports their nesting as info.
     */
    public static volatile String orderedLockClasses = "";
    /** A java.util.concurrent acquisition that waited longer than this emits lockdep4j.LockContended. */
    public static volatile long contendedThresholdNanos = 10_000_000L;
    /** Holds longer than this emit lockdep4j.LockHeld; 0 disables hold timing (it costs two clock reads). */
    public static volatile long holdThresholdNanos = 0L;
    /** Agent option onCycle: OnlineCycles.OFF, REPORT (default) or THROW. */
    public static volatile byte onCycle = 1;
    /** The most locks one thread may hold that the agent tracks; deeper acquisitions are counted only. */
    public static volatile int maxHeldDepth = 48;

    /** A context whose method ran at least this long emits lockdep4j.Context even with nothing inside; -1 off. */
    public static volatile long contextThresholdNanos = -1L;
    /** Waits while holding locks shorter than this are not reported. */
    public static volatile long waitThresholdNanos = 0L;
    /** Whether FileDescriptor.sync is hooked at application call sites (JDK 17: it is native). */
    public static volatile boolean syncAtCallSites;
    /**
     * The jdkMonitors option: JDK classes (and, when a name ends in {@code $Synchronized}, every class
     * with that prefix) whose synchronized methods are traced. Their instances keep one lock class
     * per JDK class wherever they are locked, so a block on one and its own methods stay one class.
     */
    public static volatile String[] jdkMonitors = new String[0];

    /** Whether {@code className} is one of the jdkMonitors entries (exact, or by a {@code $Synchronized} prefix). */
    public static boolean tracesJdkMonitors(String className, Iterable<String> entries) {
        for (String p : entries) {
            if (className.equals(p) || (p.endsWith("$Synchronized") && className.startsWith(p))) {
                return true;
            }
        }
        return false;
    }
}
