package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Thread.exit()} (private, run by the ending thread on JDK 17 and 25) is the signal a
 * {@code join} waits for: its Signal lists the locks the thread took before it ended.
 */
public final class ThreadEndInstrumentation implements LockdepInstrumentation {
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
                .visit(Advices.to(EndAdvice.class).on(named("exit").and(takesArguments(0))));
    }

    public static final class EndAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            WaitHooks.endSignal(self, "java.lang.Thread", "exit");
        }
    }
}
