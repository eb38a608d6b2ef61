package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import java.util.concurrent.locks.ReentrantLock;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code java.util.concurrent.locks.ReentrantLock}: lock, lockInterruptibly, tryLock (timed too), unlock. */
public final class ReentrantLockInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return named("java.util.concurrent.locks.ReentrantLock");
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return ClassFilter.named("java.util.concurrent.locks.ReentrantLock");
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advices.to(LockAdvice.class).on(named("lock").or(named("lockInterruptibly")).and(takesArguments(0))))
                .visit(Advices.to(TryLockAdvice.class).on(named("tryLock")))
                .visit(Advices.to(UnlockAdvice.class).on(named("unlock")));
    }

    public static final class LockAdvice {
        // no suppress: Hooks.beforeLock contains every failure itself, and lets only the documented
        // LockOrderViolationException (onCycle=throw) through, before the lock is taken
        @Advice.OnMethodEnter
        static Object enter(@Advice.This ReentrantLock self) {
            return Hooks.beforeLock(self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This ReentrantLock self, @Advice.Enter Object timer, @Advice.Thrown Throwable thrown) {
            Hooks.afterLock(self, true, timer, thrown);
        }
    }

    public static final class TryLockAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This ReentrantLock self, @Advice.Return boolean acquired) {
            Hooks.afterTryLock(self, acquired);
        }
    }

    public static final class UnlockAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This ReentrantLock self) {
            Hooks.unlock(self, true);
        }
    }
}
