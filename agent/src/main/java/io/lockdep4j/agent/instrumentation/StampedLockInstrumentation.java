package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import java.util.concurrent.locks.StampedLock;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code StampedLock}: read and write locks (blocking, interruptible, try, timed), and their
 * releases, including the unstamped releases its asReadLock()/asWriteLock() views use.
 * {@code unlock(long)} is not hooked: it delegates to unlockRead/unlockWrite. Optimistic reads
 * ({@code tryOptimisticRead}/{@code validate}) hold nothing, so they are not lock acquisitions.
 */
public final class StampedLockInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return named("java.util.concurrent.locks.StampedLock");
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return ClassFilter.named("java.util.concurrent.locks.StampedLock");
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advices.to(ReadLockAdvice.class).on(named("readLock").or(named("readLockInterruptibly"))))
                .visit(Advices.to(WriteLockAdvice.class).on(named("writeLock").or(named("writeLockInterruptibly"))))
                .visit(Advices.to(TryReadAdvice.class).on(named("tryReadLock")))
                .visit(Advices.to(TryWriteAdvice.class).on(named("tryWriteLock")))
                .visit(Advices.to(UnlockReadAdvice.class).on(named("unlockRead").or(named("unstampedUnlockRead"))))
                .visit(Advices.to(UnlockWriteAdvice.class).on(named("unlockWrite").or(named("unstampedUnlockWrite"))))
                .visit(Advices.to(TryUnlockReadAdvice.class).on(named("tryUnlockRead")))
                .visit(Advices.to(TryUnlockWriteAdvice.class).on(named("tryUnlockWrite")));
    }

    public static final class ReadLockAdvice {
        // no suppress: Hooks.beforeLock contains every failure itself, and lets only the documented
        // LockOrderViolationException (onCycle=throw) through, before the lock is taken
        @Advice.OnMethodEnter
        static Object enter(@Advice.This StampedLock self) {
            return Hooks.beforeLock(self, false);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This StampedLock self, @Advice.Enter Object timer, @Advice.Thrown Throwable thrown) {
            Hooks.afterLock(self, false, timer, thrown);
        }
    }

    public static final class WriteLockAdvice {
        // no suppress: Hooks.beforeLock contains every failure itself, and lets only the documented
        // LockOrderViolationException (onCycle=throw) through, before the lock is taken
        @Advice.OnMethodEnter
        static Object enter(@Advice.This StampedLock self) {
            return Hooks.beforeLock(self, true);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This StampedLock self, @Advice.Enter Object timer, @Advice.Thrown Throwable thrown) {
            Hooks.afterLock(self, true, timer, thrown);
        }
    }

    public static final class TryReadAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This StampedLock self, @Advice.Return long stamp) {
            Hooks.afterTryLock(self, false, stamp);
        }
    }

    public static final class TryWriteAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This StampedLock self, @Advice.Return long stamp) {
            Hooks.afterTryLock(self, true, stamp);
        }
    }

    public static final class UnlockReadAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This StampedLock self) {
            Hooks.unlock(self, false);
        }
    }

    public static final class UnlockWriteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This StampedLock self) {
            Hooks.unlock(self, true);
        }
    }

    public static final class TryUnlockReadAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This StampedLock self, @Advice.Return boolean released) {
            if (released) {
                Hooks.unlock(self, false);
            }
        }
    }

    public static final class TryUnlockWriteAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This StampedLock self, @Advice.Return boolean released) {
            if (released) {
                Hooks.unlock(self, true);
            }
        }
    }
}
