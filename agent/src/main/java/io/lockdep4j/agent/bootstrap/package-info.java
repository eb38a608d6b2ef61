/**
 * The bootstrap-side runtime: the classes the advice and the injected bytecode call into. The agent
 * appends them to the bootstrap class path so that instrumented JDK classes can see them.
 *
 * <p>Entry points, one class per hook concern, each named after it and owning its tables and its
 * per-thread state (a field of the thread's {@link io.lockdep4j.agent.bootstrap.HeldLocks}, created
 * on first use):
 * <ul>
 *   <li>{@link io.lockdep4j.agent.bootstrap.Hooks}: lock acquisitions and releases (the hot path),
 *       lock naming, the agent's own work;</li>
 *   <li>{@link io.lockdep4j.agent.bootstrap.FileReleaseHooks}: file closes and forces;</li>
 *   <li>{@link io.lockdep4j.agent.bootstrap.OpenHandleHooks}: open sites, open handles, leaks at shutdown;</li>
 *   <li>{@link io.lockdep4j.agent.bootstrap.ContextHooks}: context methods;</li>
 *   <li>{@link io.lockdep4j.agent.bootstrap.ReleaseMethodHooks} and
 *       {@link io.lockdep4j.agent.bootstrap.HandoffHooks}: release methods, their hand-offs and the
 *       deferred runs of handed-off tasks;</li>
 *   <li>{@link io.lockdep4j.agent.bootstrap.WaitHooks}: waits while holding locks, and signals;</li>
 *   <li>{@link io.lockdep4j.agent.bootstrap.LifecycleHooks}: refcounts and use after shutdown.</li>
 * </ul>
 * The lock hooks' slow path ({@link io.lockdep4j.agent.bootstrap.Recorder}, a new chain) also feeds the
 * online cycle check, {@link io.lockdep4j.agent.bootstrap.OnlineCycles} (agent option onCycle), whose
 * report is {@link io.lockdep4j.agent.bootstrap.CycleReport} and whose one exception the host may see is
 * {@link io.lockdep4j.agent.bootstrap.LockOrderViolationException} (onCycle=throw, thrown before the lock
 * is taken). Nothing but the check's own tables is touched under Recorder's monitor: no class
 * initialisation, no JFR, no stack walk (each may take JFR's locks, and JFR's threads take the slow
 * path too).
 * Every hook that may report goes through {@link io.lockdep4j.agent.bootstrap.HookGuard} (the busy
 * flag); {@link io.lockdep4j.agent.bootstrap.HeldLockText} is the one writer of the held-lock text
 * in the events.
 *
 * <p>Rules this package must never break, because it runs inside every lock acquisition of the
 * host:
 * <ul>
 *   <li>never throw: every public entry point catches {@code Throwable} and counts it
 *       (AgentCounters.failure), except the documented LockOrderViolationException of onCycle=throw;</li>
 *   <li>never re-enter: a hook that may report takes the thread's busy flag through HookGuard
 *       first, so the agent's own locks, files and class loading are not seen;</li>
 *   <li>never take a {@code java.util.concurrent} lock, never use a lambda or a stream (they would
 *       re-enter the instrumented lock classes or spin classes during an acquisition); its own
 *       monitors are safe because the agent never instruments this package;</li>
 *   <li>never allocate on a known path: an acquisition whose lock chain is already known touches
 *       only arrays that already exist;</li>
 *   <li>keep every table bounded, counting what it drops;</li>
 *   <li>depend on nothing but java.base, jdk.jfr and the lockdep4j event classes.</li>
 * </ul>
 */
package io.lockdep4j.agent.bootstrap;
