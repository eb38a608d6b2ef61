package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code CountDownLatch}: {@code await} (both) is a wait unless the count is already zero; {@code countDown} a signal. */
public final class CountDownLatchInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("java.util.concurrent.CountDownLatch") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("java.util.concurrent.CountDownLatch") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_LATCH, WaitAdvice.Wait.class).on(named("await")))
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_LATCH, WaitAdvice.Signal.class).on(named("countDown")));
    }
}
