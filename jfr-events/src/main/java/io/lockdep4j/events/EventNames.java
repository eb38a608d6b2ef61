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
    public static final String LOCK_INSTANCE_SHARED = "lockdep4j.LockInstanceShared";
    public static final String AGENT_STATISTICS = "lockdep4j.AgentStatistics";
    public static final String AGENT_ERROR = "lockdep4j.AgentError";
    public static final String LOCK_GRAPH_SUMMARY = "lockdep4j.LockGraphSummary";
    /** The agent's online check: an acquisition closed a lock-order cycle (agent option onCycle). */
    public static final String LOCK_ORDER_VIOLATION = "lockdep4j.LockOrderViolation";

    // ---- release paths: how files are closed and forced, releases and their hand-offs, waits, leaks
    public static final String FILE_CLOSE = "lockdep4j.FileClose";
    public static final String FILE_FORCE = "lockdep4j.FileForce";
    public static final String CONTEXT = "lockdep4j.Context";
    public static final String RELEASE = "lockdep4j.Release";
    public static final String DEFERRED_RUN = "lockdep4j.DeferredRun";
    public static final String WAIT_WHILE_HOLDING = "lockdep4j.WaitWhileHolding";
    public static final String SIGNAL = "lockdep4j.Signal";
    public static final String FILE_OPEN = "lockdep4j.FileOpen";
    public static final String RESOURCE_LEAK = "lockdep4j.ResourceLeak";
    public static final String REFCOUNT_UNDERFLOW = "lockdep4j.RefcountUnderflow";
    public static final String USE_AFTER_RELEASE = "lockdep4j.UseAfterRelease";

    /** lockdep4j.Release mode: a file close ran on the releasing thread inside the release method. */
    public static final String RELEASE_SYNC = "SYNC";
    /** lockdep4j.Release mode: the release handed work off (an executor) and closed nothing itself. */
    public static final String RELEASE_DEFERRED = "DEFERRED";

    /** Built-in context names (lockdep4j.Context.name); the contexts option adds its own. */
    public static final String CONTEXT_NOTIFIER = "notifier";
    public static final String CONTEXT_RECOVERY = "recovery";
    public static final String CONTEXT_MUST_NOT_BLOCK = "mustNotBlock";

    /** Exclusive: a monitor, a ReentrantLock, or the write half of a read-write lock. */
    public static final String MODE_WRITE = "write";
    /** Shared: the read half of a ReentrantReadWriteLock or a StampedLock read lock. */
    public static final String MODE_READ = "read";

    public static final String KIND_MONITOR = "monitor";
    public static final String KIND_REENTRANT_LOCK = "ReentrantLock";
    public static final String KIND_RW_LOCK = "ReentrantReadWriteLock";
    public static final String KIND_STAMPED_LOCK = "StampedLock";
}
