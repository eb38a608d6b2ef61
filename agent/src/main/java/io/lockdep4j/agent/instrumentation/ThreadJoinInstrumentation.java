package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code Thread.join} (all overloads; nested ones count once) is a wait unless the thread is dead. */
public final class ThreadJoinInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("java.lang.Thread") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("java.lang.Thread") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_JOIN, WaitAdvice.Wait.class).on(named("join")));
    }
}
