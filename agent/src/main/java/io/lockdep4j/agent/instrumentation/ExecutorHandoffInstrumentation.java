package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.HandoffHooks;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Hand-offs: {@code Executor.execute} and {@code ExecutorService.submit} of every executor (JDK
 * and application), plus {@code handoffMethods}. Outside a release method the advice costs a
 * ThreadLocal read. Inside one, the task (argument 0) is tagged in a bounded weak identity table
 * with the release id; {@code FutureTask.run} and {@code ThreadPoolExecutor.runWorker} look the
 * tag up when the task runs (lockdep4j.DeferredRun). Tasks are not wrapped: their identity, class
 * and the executor's behaviour stay as they were. A submit that calls execute counts once.
 */
public final class ExecutorHandoffInstrumentation implements LockdepInstrumentation {
    static final MethodPattern EXECUTOR = MethodPattern.parse("java.util.concurrent.Executor#execute", "handoff");
    static final MethodPattern SUBMIT = MethodPattern.parse("java.util.concurrent.ExecutorService#submit", "handoff");

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        if (!options.releasePaths || options.releaseMethods.isEmpty()) {
            return t -> false; // hand-offs only matter inside release methods
        }
        List<MethodPattern> extra = MethodPattern.parseAll(options.handoffMethods, "handoff");
        return t -> {
            String n = t.getName();
            // walk the hierarchy of java.util.concurrent and application classes only: walking
            // every JDK class as it loads (jdk.jfr.Event...) can load classes in the middle of
            // loading them (ClassCircularityError)
            if (!(n.startsWith("java.util.concurrent.")
                    || (!ClassScope.isJdkOrAgent(n) && options.instrumentsApplicationClass(n))) || t.isInterface()) {
                return false;
            }
            if (EXECUTOR.matchesType(t)) {
                return true;
            }
            for (MethodPattern p : extra) {
                if (p.matchesType(t)) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        if (!options.releasePaths || options.releaseMethods.isEmpty()) {
            return ClassFilter.NONE;
        }
        List<MethodPattern> patterns = new java.util.ArrayList<>(MethodPattern.parseAll(options.handoffMethods, "handoff"));
        patterns.add(EXECUTOR);
        return c -> {
            String n = c.className();
            return n != null && (n.startsWith("java.util.concurrent.") || ClassScope.isApplication(options, n))
                    && !c.isInterface() && ClassFilter.anyPatternNames(c, patterns);
        };
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        List<MethodPattern> extra = MethodPattern.parseAll(options.handoffMethods, "handoff");
        return (builder, type, loader, module, domain) -> {
            ElementMatcher.Junction<MethodDescription> methods = ElementMatchers.none();
            if (EXECUTOR.matchesType(type)) {
                methods = methods.or(named("execute").and(takesArguments(1)).and(not(isAbstract())));
                methods = methods.or(named("submit").and(not(isAbstract())).and(m -> m.getParameters().size() >= 1));
            }
            for (MethodPattern p : extra) {
                if (p.matchesType(type)) {
                    methods = methods.or(ElementMatchers.<MethodDescription>any().and(p.methods())
                            .and(m -> m.getParameters().size() >= 1 && !m.getParameters().get(0).getType().isPrimitive()));
                }
            }
            return builder.visit(Advices.to(HandoffAdvice.class).on(methods));
        };
    }

    public static final class HandoffAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(value = 0, typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC) Object task) {
            return HandoffHooks.handoffEnter(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter boolean counted) {
            HandoffHooks.handoffExit(counted);
        }
    }
}
