package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynchronized;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.Hooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code synchronized} methods (ACC_SYNCHRONIZED), in application classes and in the JDK classes
 * applications lock through their methods (Hashtable, Vector, Observable: deadlocks through
 * them were invisible to peers that skip java.*). The advice runs inside the method, so it
 * records the order once the monitor is held.
 */
public final class SynchronizedMethodInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        ElementMatcher<TypeDescription> jdk = ClassScope.jdkMonitorClasses(options);
        return t -> (app.matches(t) || jdk.matches(t)) && ClassFacts.mayHave(ClassFacts.SYNCHRONIZED_METHOD);
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return c -> ClassScope.isApplicationOrTracedJdk(options, c.className()) && c.has(ClassFacts.SYNCHRONIZED_METHOD);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advices.to(InstanceAdvice.class).on(isSynchronized().and(not(isStatic())).and(not(isAbstract())).and(not(isNative()))))
                .visit(Advices.to(StaticAdvice.class).on(isSynchronized().and(isStatic()).and(not(isNative()))));
    }

    public static final class InstanceAdvice {
        // no suppress: Hooks.monitorEnter contains every failure itself but the documented
        // LockOrderViolationException (onCycle=throw); the method then ends abruptly, the JVM
        // releases the monitor, and the exit advice does not run (nothing was recorded)
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object self) {
            Hooks.monitorEnter(self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            Hooks.monitorExit(self);
        }
    }

    public static final class StaticAdvice {
        // no suppress: Hooks.monitorEnter contains every failure itself but the documented
        // LockOrderViolationException (onCycle=throw); the method then ends abruptly, the JVM
        // releases the monitor, and the exit advice does not run (nothing was recorded)
        @Advice.OnMethodEnter
        static void enter(@Advice.Origin Class<?> type) {
            Hooks.monitorEnter(type);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Origin Class<?> type) {
            Hooks.monitorExit(type);
        }
    }
}
