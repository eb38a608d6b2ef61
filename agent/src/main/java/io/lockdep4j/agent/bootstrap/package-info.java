/**
 * The bootstrap-side runtime: the classes the advice and the injected bytecode call into. The agent
 * appends them to the bootstrap class path so that instrumented JDK classes can see them.
 *
 * <p>Rules this package must never break, because it runs inside every lock acquisition of the
 * host:
 * <ul>
 *   <li>never throw: every entry point in {@link io.lockdep4j.agent.bootstrap.Hooks} catches
 *       {@code Throwable} and counts it;</li>
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
