package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.ReleaseMethodHooks;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Release methods ({@code releaseMethods=com.acme.FileCache#put;...}): each invocation that closes
 * a file on its thread is a SYNC lockdep4j.Release, one that only hands work off is DEFERRED.
 * Invocations that do neither cost a ThreadLocal read and a few array stores, and emit nothing.
 */
public final class ReleaseMethodInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        List<MethodPattern> patterns = MethodPattern.parseAll(options.releaseMethods, "release");
        if (!options.releasePaths || patterns.isEmpty()) {
            return t -> false;
        }
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        return t -> {
            if (!app.matches(t) || t.isInterface()) { // the name first: isInterface() parses the class
                return false;
            }
            for (MethodPattern p : patterns) {
                if (p.matchesType(t)) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        List<MethodPattern> patterns = MethodPattern.parseAll(options.releaseMethods, "release");
        if (!options.releasePaths || patterns.isEmpty()) {
            return ClassFilter.NONE;
        }
        return c -> ClassScope.isApplication(options, c.className()) && !c.isInterface() && ClassFilter.anyPatternNames(c, patterns);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        List<MethodPattern> patterns = MethodPattern.parseAll(options.releaseMethods, "release");
        return (builder, type, loader, module, domain) -> {
            ElementMatcher.Junction<MethodDescription> methods = ElementMatchers.none();
            for (MethodPattern p : patterns) {
                if (p.matchesType(type)) {
                    methods = methods.or(p.methods());
                }
            }
            return builder.visit(Advices.to(ReleaseAdvice.class).on(methods));
        };
    }

    public static final class ReleaseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            return ReleaseMethodHooks.releaseEnter(type, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter boolean pushed) {
            ReleaseMethodHooks.releaseExit(pushed);
        }
    }
}
