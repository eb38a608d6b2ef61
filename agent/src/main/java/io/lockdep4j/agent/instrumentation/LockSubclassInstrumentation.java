package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import io.lockdep4j.agent.bootstrap.LockClasses;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The constructors of {@code ReentrantLock} and {@code ReentrantReadWriteLock}: an instance of a
 * subclass (Commons Pool's {@code InterruptibleReentrantLock}, Guava's padded stripes, a lock
 * implementation) is named where its creator put it ({@code Hooks.constructed}, rules in
 * {@code LockRoles}). Without this it was named by whichever method first locked each instance:
 * one field, many lock classes. Exact JDK instances are named at their allocation site instead
 * (LockAllocationInstrumentation) and leave the hook at its first class check.
 */
public final class LockSubclassInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return named("java.util.concurrent.locks.ReentrantLock").or(named("java.util.concurrent.locks.ReentrantReadWriteLock"));
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return ClassFilter.named("java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantReadWriteLock");
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> type.getName().endsWith("ReentrantLock")
                ? builder.visit(Advices.to(ReentrantLockAdvice.class).on(isConstructor()))
                : builder.visit(Advices.to(ReadWriteLockAdvice.class).on(isConstructor()));
    }

    public static final class ReentrantLockAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            Hooks.constructed(self, ReentrantLock.class, LockClasses.KIND_REENTRANT_LOCK);
        }
    }

    public static final class ReadWriteLockAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            Hooks.constructed(self, ReentrantReadWriteLock.class, LockClasses.KIND_RW_LOCK);
        }
    }
}
