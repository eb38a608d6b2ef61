package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.HandoffHooks;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code FutureTask}: {@code run()} looks up a release hand-off tag (lockdep4j.DeferredRun; one
 * volatile read when nothing is tagged), {@code get} is a wait unless done, {@code set} and
 * {@code setException} (the completion of run) are signals.
 */
public final class FutureTaskInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("java.util.concurrent.FutureTask") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("java.util.concurrent.FutureTask") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advices.to(RunAdvice.class).on(named("run").and(takesArguments(0))))
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_FUTURE, WaitAdvice.Wait.class).on(named("get")))
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_FUTURE, WaitAdvice.Signal.class)
                        .on(named("set").or(named("setException")).and(takesArguments(1))));
    }

    public static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self) {
            return HandoffHooks.runEnter(self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            HandoffHooks.runExit(token);
        }
    }
}
