package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Both halves of {@code ReentrantReadWriteLock}. The halves are told apart by their class; their
 * shared {@code sync} field is the lock's identity, read with {@code @Advice.FieldValue} (no
 * reflection, no --add-opens).
 */
public final class ReadWriteLockInstrumentation implements LockdepInstrumentation {
    static final String READ_LOCK = "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock";
    static final String WRITE_LOCK = "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return named(READ_LOCK).or(named(WRITE_LOCK));
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return ClassFilter.named(READ_LOCK, WRITE_LOCK);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> {
            boolean write = type.getName().equals(WRITE_LOCK);
            return builder
                    .visit(Advices.bound(Write.class, write, LockAdvice.class).on(named("lock").or(named("lockInterruptibly")).and(takesArguments(0))))
                    .visit(Advices.bound(Write.class, write, TryLockAdvice.class).on(named("tryLock")))
                    .visit(Advices.bound(Write.class, write, UnlockAdvice.class).on(named("unlock")));
        };
    }

    /** Bound to true in WriteLock, false in ReadLock. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    public @interface Write {}

    public static final class LockAdvice {
        // no suppress: Hooks.beforeLock contains every failure itself, and lets only the documented
        // LockOrderViolationException (onCycle=throw) through, before the lock is taken
        @Advice.OnMethodEnter
        static Object enter(@Advice.This Object self, @Advice.FieldValue("sync") Object sync, @Write boolean write) {
            return Hooks.beforeLock(self, sync, write);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync, @Write boolean write,
                         @Advice.Enter Object timer, @Advice.Thrown Throwable thrown) {
            Hooks.afterLock(sync, write, timer, thrown);
        }
    }

    public static final class TryLockAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("sync") Object sync, @Write boolean write,
                         @Advice.Return boolean acquired) {
            Hooks.afterTryLock(self, sync, write, acquired);
        }
    }

    public static final class UnlockAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("sync") Object sync, @Write boolean write) {
            Hooks.unlock(sync, write);
        }
    }
}
