package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.LifecycleHooks;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * {@code shutdownMethods=com.acme.Server#shutdown} and {@code useMethods=com.acme.Server#*}: after a
 * shutdown method returned normally on an object, the first call of a use method on the same
 * object is a lockdep4j.UseAfterRelease. Until some object is shut down, a use costs one volatile
 * read. The shutdown methods themselves are never counted as uses.
 */
public final class UseAfterReleaseInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        List<MethodPattern> shutdown = MethodPattern.parseAll(options.shutdownMethods, "shutdown");
        List<MethodPattern> use = MethodPattern.parseAll(options.useMethods, "use");
        if (!options.releasePaths || shutdown.isEmpty()) {
            return t -> false;
        }
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        return t -> {
            if (!app.matches(t) || t.isInterface()) { // the name first: isInterface() parses the class
                return false;
            }
            for (MethodPattern p : shutdown) {
                if (p.matchesType(t)) {
                    return true;
                }
            }
            for (MethodPattern p : use) {
                if (p.matchesType(t)) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        List<MethodPattern> shutdown = MethodPattern.parseAll(options.shutdownMethods, "shutdown");
        List<MethodPattern> patterns = new java.util.ArrayList<>(shutdown);
        patterns.addAll(MethodPattern.parseAll(options.useMethods, "use"));
        if (!options.releasePaths || shutdown.isEmpty()) {
            return ClassFilter.NONE;
        }
        return c -> ClassScope.isApplication(options, c.className()) && !c.isInterface() && ClassFilter.anyPatternNames(c, patterns);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        List<MethodPattern> shutdown = MethodPattern.parseAll(options.shutdownMethods, "shutdown");
        List<MethodPattern> use = MethodPattern.parseAll(options.useMethods, "use");
        return (builder, type, loader, module, domain) -> {
            ElementMatcher.Junction<MethodDescription> s = ElementMatchers.none();
            ElementMatcher.Junction<MethodDescription> u = ElementMatchers.none();
            for (MethodPattern p : shutdown) {
                if (p.matchesType(type)) {
                    s = s.or(p.methods());
                }
            }
            for (MethodPattern p : use) {
                if (p.matchesType(type)) {
                    u = u.or(p.methods());
                }
            }
            return builder
                    .visit(Advices.to(ShutdownAdvice.class).on(s.and(not(isStatic()))))
                    .visit(Advices.to(UseAdvice.class).on(u.and(not(isStatic())).and(ElementMatchers.not(s))));
        };
    }

    public static final class ShutdownAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            LifecycleHooks.shutdownDone(self, type, method);
        }
    }

    public static final class UseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            LifecycleHooks.used(self, type, method);
        }
    }
}
