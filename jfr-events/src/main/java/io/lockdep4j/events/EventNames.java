package io.lockdep4j.events;

/**
 * Event type names and the string values of their enumerated fields: the contract the analyzers
 * read, without loading the event classes.
 */
public final class EventNames {
    private EventNames() {}

    public static final String PREFIX = "lockdep4j.";
    public static final String LOCK_CHAIN = "lockdep4j.LockChain";
    public static final String LOCK_ORDER_EDGE = "lockdep4j.LockOrderEdge";
    public static final String LOCK_CONTENDED = "lockdep4j.LockContended";
    public static final String LOCK_HELD = "lockdep4j.LockHeld";
    public static final String AGENT_STATISTICS = "lockdep4j.AgentStatistics";
    public static final String AGENT_ERROR = "lockdep4j.AgentError";

    /** Exclusive: a monitor, a ReentrantLock, or the write half of a read-write lock. */
    public static final String MODE_WRITE = "write";
    /** Shared: the read half of a ReentrantReadWriteLock or a StampedLock read lock. */
    public static final String MODE_READ = "read";

    public static final String KIND_MONITOR = "monitor";
    public static final String KIND_REENTRANT_LOCK = "ReentrantLock";
    public static final String KIND_RW_LOCK = "ReentrantReadWriteLock";
    public static final String KIND_STAMPED_LOCK = "StampedLock";
}
