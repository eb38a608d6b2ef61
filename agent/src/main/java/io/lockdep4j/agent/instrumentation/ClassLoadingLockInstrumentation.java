package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.JvmLockHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The class-loading lock of a loader that is not parallel capable: the JVM locks the loader object
 * before it calls {@code loadClass(String)} for a class it resolves, and {@code ClassLoader.loadClass}
 * locks {@code getClassLoadingLock(name)}, which is the loader itself for such loaders. Script
 * engines and plugin loaders that call application code under it (a {@code findClass} that takes an
 * application lock) deadlock against a thread that holds that lock and loads a class. The advice on
 * {@code java.lang.ClassLoader}'s {@code loadClass} methods records the loader as a lock, named by
 * its class, when it is not registered as parallel capable (then its getClassLoadingLock is itself).
 * Parallel-capable loaders (the JDK's, URLClassLoader) lock per class name, which is not recorded.
 */
public final class ClassLoadingLockInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return t -> t.getName().equals("java.lang.ClassLoader");
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return ClassFilter.named("java.lang.ClassLoader");
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(
                Advices.to(LoadClassAdvice.class).on(named("loadClass").and(not(isStatic()))));
    }

    public static final class LoadClassAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.This ClassLoader self) {
            return JvmLockHooks.loaderLockEnter(self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This ClassLoader self, @Advice.Enter boolean recorded) {
            if (recorded) {
                JvmLockHooks.loaderLockExit(self);
            }
        }
    }
}
