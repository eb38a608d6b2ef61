package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ThreadPoolExecutor.awaitTermination(long, TimeUnit)} (also ScheduledThreadPoolExecutor's)
 * and {@code ForkJoinPool.awaitTermination} are bounded waits on the pool; a ThreadPoolExecutor
 * worker's end ({@code runWorker} returning) is their signal, listing the locks the worker took
 * (its tasks' locks among them) before it ended.
 */
public final class ExecutorTerminationInstrumentation implements LockdepInstrumentation {
    static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
    static final String FJP = "java.util.concurrent.ForkJoinPool";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named(TPE).or(named(FJP)) : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named(TPE, FJP) : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> {
            builder = builder.visit(Advices.to(AwaitAdvice.class)
                    .on(named("awaitTermination").and(takesArguments(2)).and(takesArgument(1, TimeUnit.class))));
            return type.getName().equals(TPE)
                    ? builder.visit(Advices.to(WorkerEndAdvice.class).on(named("runWorker").and(takesArguments(1))))
                    : builder;
        };
    }

    public static final class AwaitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) long timeout, @Advice.Argument(1) TimeUnit unit,
                            @Advice.Origin("#t") String type) {
            return WaitHooks.timedWaitEnter(self, WaitHooks.WAIT_TERMINATION, type, "awaitTermination", timeout, unit);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            WaitHooks.waitExit(token);
        }
    }

    public static final class WorkerEndAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            WaitHooks.endSignal(self, "java.util.concurrent.ThreadPoolExecutor", "workerEnd");
        }
    }
}
