package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.FileReleaseHooks;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code FileOutputStream}, {@code FileInputStream} and {@code RandomAccessFile}: {@code close()}
 * (a lockdep4j.FileClose unless the stream was already closed: their private {@code closed}
 * flag is read on entry) and the constructors' exits (registering handles that an application
 * open site is waiting for). A used FileOutputStream closes twice (its channel closes it back):
 * the bootstrap side reports only the outermost close on a thread.
 */
public final class FileStreamCloseInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        if (!options.releasePaths) {
            return t -> false;
        }
        return named("java.io.FileOutputStream").or(named("java.io.FileInputStream")).or(named("java.io.RandomAccessFile"));
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths
                ? ClassFilter.named("java.io.FileOutputStream", "java.io.FileInputStream", "java.io.RandomAccessFile") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> {
            builder = builder.visit(Advices.to(CloseAdvice.class).on(named("close").and(takesArguments(0))));
            if (options.trackOpens) {
                builder = builder.visit(Advices.to(ConstructorAdvice.class).on(isConstructor()));
            }
            return builder;
        };
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") Object fd,
                            @Advice.FieldValue("path") String path, @Advice.FieldValue("closed") boolean closed) {
            return FileReleaseHooks.closeEnter(self, fd, path, closed);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fd") Object fd,
                         @Advice.FieldValue("path") String path) {
            FileReleaseHooks.closeExit(token, self, fd, path);
        }
    }

    public static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("fd") Object fd, @Advice.FieldValue("path") String path) {
            OpenHandleHooks.constructed(self, fd, path);
        }
    }
}
