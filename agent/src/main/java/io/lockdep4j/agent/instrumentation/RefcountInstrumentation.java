package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.LifecycleHooks;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code refcountClasses=com.acme.Handle#get:put[:initial]}: counts get/put per instance (weak
 * table) and reports a put that takes the count below zero (lockdep4j.RefcountUnderflow). The
 * count of an instance starts at {@code initial} (default 0) when the agent first sees it.
 */
public final class RefcountInstrumentation implements LockdepInstrumentation {
    record Spec(String type, String get, String put) {}

    static List<Spec> specs(AgentOptions options) {
        List<Spec> out = new ArrayList<>();
        for (String c : options.refcountClasses) {
            String[] p = c.split("[#:]");
            out.add(new Spec(p[0].trim(), p[1].trim(), p[2].trim()));
        }
        return out;
    }

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        List<Spec> specs = specs(options);
        if (!options.releasePaths || specs.isEmpty()) {
            return t -> false;
        }
        return t -> {
            for (Spec s : specs) {
                if (t.getName().equals(s.type())) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        List<Spec> specs = specs(options);
        if (!options.releasePaths || specs.isEmpty()) {
            return ClassFilter.NONE;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Spec s : specs) {
            names.add(s.type());
        }
        return c -> names.contains(c.className());
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        List<Spec> specs = specs(options);
        return (builder, type, loader, module, domain) -> {
            for (Spec s : specs) {
                if (type.getName().equals(s.type())) {
                    builder = builder
                            .visit(Advices.to(GetAdvice.class).on(named(s.get()).and(not(isStatic()))))
                            .visit(Advices.to(PutAdvice.class).on(named(s.put()).and(not(isStatic()))));
                }
            }
            return builder;
        };
    }

    public static final class GetAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            LifecycleHooks.refcountGet(self, type, method);
        }
    }

    public static final class PutAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            LifecycleHooks.refcountPut(self, type, method);
        }
    }
}
