package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code Semaphore}: {@code acquire}/{@code acquireUninterruptibly} wait when no permit is free; {@code release} signals. */
public final class SemaphoreInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("java.util.concurrent.Semaphore") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("java.util.concurrent.Semaphore") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_SEMAPHORE, WaitAdvice.Wait.class)
                        .on(named("acquire").or(named("acquireUninterruptibly"))))
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_SEMAPHORE, WaitAdvice.Signal.class).on(named("release")));
    }
}
