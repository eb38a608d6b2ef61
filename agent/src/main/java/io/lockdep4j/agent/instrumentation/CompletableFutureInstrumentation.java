package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code CompletableFuture}: {@code get}/{@code join} are waits unless done; {@code complete} and
 * {@code completeExceptionally} are signals (completions from inside async stages are not seen).
 */
public final class CompletableFutureInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("java.util.concurrent.CompletableFuture") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("java.util.concurrent.CompletableFuture") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_COMPLETABLE, WaitAdvice.Wait.class).on(named("get").or(named("join"))))
                .visit(WaitAdvice.forKind(WaitHooks.WAIT_COMPLETABLE, WaitAdvice.Signal.class)
                        .on(named("complete").or(named("completeExceptionally")).and(takesArguments(1))));
    }
}
