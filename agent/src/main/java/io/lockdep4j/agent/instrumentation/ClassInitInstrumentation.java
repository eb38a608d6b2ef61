package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.JvmLockHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Static initializers of application classes: the JVM runs {@code <clinit>} holding the class's
 * initialization lock, and every other thread that touches the class meanwhile waits for it. The
 * advice records that lock as {@code <clinit> com.acme.Config} (see JvmLockHooks): the locks the
 * triggering thread held become edges into it, the locks and class initializations the initializer
 * takes edges out of it. Only classes that have a {@code <clinit>} are rewritten (ClassFacts).
 */
public final class ClassInitInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        return t -> app.matches(t) && ClassFacts.mayHave(ClassFacts.STATIC_INITIALIZER);
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return c -> ClassScope.isApplication(options, c.className()) && c.has(ClassFacts.STATIC_INITIALIZER);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder.visit(Advices.to(InitAdvice.class).on(isTypeInitializer()));
    }

    public static final class InitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Origin Class<?> type) {
            JvmLockHooks.classInitEnter(type);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Origin Class<?> type) {
            JvmLockHooks.classInitExit(type);
        }
    }
}
