package io.lockdep4j.agent.bootstrap;

/**
 * Thrown by a lock acquisition that would close a lock-order cycle, when the agent runs with
 * {@code onCycle=throw} (meant for tests, as Guava's {@code CycleDetectingLockFactory.Policies.THROW}).
 * It is thrown before the acquisition blocks or takes anything: the caller still holds exactly the
 * locks it held before the call, and can release them, or take the locks in the other order. The
 * message is the lockdep-style report (the cycle, the unsafe scenario, the stacks).
 *
 * <p>Which acquisitions throw: {@code synchronized} blocks and methods, {@code ReentrantLock.lock}
 * and {@code lockInterruptibly}, both halves of {@code ReentrantReadWriteLock} and {@code StampedLock}
 * read/write locks. A {@code tryLock} never waits, so it never closes a cycle and never throws. The
 * same inverted acquisition throws every time (the closing edge is not learned), other acquisitions
 * are not affected.
 *
 * <p>Catch it as {@link IllegalStateException} (the agent's classes are not on the application's
 * compile class path), and recognise it by its class name,
 * {@code io.lockdep4j.agent.bootstrap.LockOrderViolationException}.
 */
public final class LockOrderViolationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    LockOrderViolationException(String message) {
        super(message);
    }
}
