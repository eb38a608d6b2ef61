package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code jdk.jfr.internal.ShutdownHook.run}: JFR's own shutdown hook, which dumps the recording
 * (dumponexit). Shutdown hooks run concurrently in no fixed order, so an ordinary hook of ours
 * could run after the dump; reporting leaks at the start of JFR's hook puts the
 * lockdep4j.ResourceLeak events, and the lockdep4j.WaitWhileHolding events of waits that never
 * ended (a deadlock stopped by SIGTERM), in the dumped file. (The agent also registers an ordinary hook,
 * for recordings that are not dumped by JFR's hook; the report runs once.)
 */
public final class JfrShutdownInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("jdk.jfr.internal.ShutdownHook") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("jdk.jfr.internal.ShutdownHook") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(Advices.to(RunAdvice.class).on(named("run")));
    }

    public static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            OpenHandleHooks.reportLeaks();
        }
    }
}
