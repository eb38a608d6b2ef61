package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.FileReleaseHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.nio.ch.SimpleAsynchronousFileChannelImpl} (AsynchronousFileChannel on Linux):
 * {@code close()} (its inherited {@code closed} flag says whether it was open) and
 * {@code force(boolean)}. Its {@code path} field exists on newer JDKs only (not on 17): the
 * advice reads it when present.
 */
public final class AsyncFileChannelInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("sun.nio.ch.SimpleAsynchronousFileChannelImpl") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("sun.nio.ch.SimpleAsynchronousFileChannelImpl") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> {
            boolean hasPath = !type.getDeclaredFields().filter(named("path")).isEmpty();
            return builder
                    .visit(Advices.to(hasPath ? CloseWithPath.class : CloseAdvice.class).on(named("close").and(takesArguments(0))))
                    .visit(Advices.to(hasPath ? ForceWithPath.class : ForceAdvice.class).on(named("force").and(takesArguments(boolean.class))));
        };
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fdObj") Object fd, @Advice.FieldValue("closed") boolean closed) {
            return FileReleaseHooks.closeEnter(self, fd, null, closed);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fdObj") Object fd) {
            FileReleaseHooks.closeExit(token, self, fd, null);
        }
    }

    public static final class CloseWithPath {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fdObj") Object fd, @Advice.FieldValue("path") String path,
                            @Advice.FieldValue("closed") boolean closed) {
            return FileReleaseHooks.closeEnter(self, fd, path, closed);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fdObj") Object fd,
                         @Advice.FieldValue("path") String path) {
            FileReleaseHooks.closeExit(token, self, fd, path);
        }
    }

    public static final class ForceAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fdObj") Object fd) {
            return FileReleaseHooks.forceEnter(self, fd, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fdObj") Object fd,
                         @Advice.Argument(0) boolean metaData) {
            FileReleaseHooks.forceExit(token, self, fd, null, metaData);
        }
    }

    public static final class ForceWithPath {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fdObj") Object fd, @Advice.FieldValue("path") String path) {
            return FileReleaseHooks.forceEnter(self, fd, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fdObj") Object fd,
                         @Advice.FieldValue("path") String path, @Advice.Argument(0) boolean metaData) {
            FileReleaseHooks.forceExit(token, self, fd, path, metaData);
        }
    }
}
