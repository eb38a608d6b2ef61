package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.FileReleaseHooks;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.nio.ch.FileChannelImpl}: {@code implCloseChannel()} (called once, only while open,
 * by AbstractInterruptibleChannel.close), {@code force(boolean)}, and the static factory
 * {@code open(FileDescriptor, String path, ...)} for open tracking. Path and descriptor are its
 * private fields, read with @FieldValue.
 */
public final class FileChannelInstrumentation implements LockdepInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named("sun.nio.ch.FileChannelImpl") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named("sun.nio.ch.FileChannelImpl") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> {
            builder = builder
                    .visit(Advices.to(CloseAdvice.class).on(named("implCloseChannel").and(takesArguments(0))))
                    .visit(Advices.to(ForceAdvice.class).on(named("force").and(takesArguments(boolean.class))));
            if (options.trackOpens) {
                builder = builder.visit(Advices.to(OpenAdvice.class).on(named("open").and(isStatic())
                        .and(takesArgument(0, java.io.FileDescriptor.class)).and(takesArgument(1, String.class))
                        .and(returns(java.nio.channels.FileChannel.class))));
            }
            return builder;
        };
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") Object fd, @Advice.FieldValue("path") String path) {
            return FileReleaseHooks.closeEnter(self, fd, path, false);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fd") Object fd,
                         @Advice.FieldValue("path") String path) {
            FileReleaseHooks.closeExit(token, self, fd, path);
        }
    }

    public static final class ForceAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") Object fd, @Advice.FieldValue("path") String path) {
            return FileReleaseHooks.forceEnter(self, fd, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self, @Advice.FieldValue("fd") Object fd,
                         @Advice.FieldValue("path") String path, @Advice.Argument(0) boolean metaData) {
            FileReleaseHooks.forceExit(token, self, fd, path, metaData);
        }
    }

    public static final class OpenAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object channel, @Advice.Argument(0) Object fd, @Advice.Argument(1) String path) {
            OpenHandleHooks.constructed(channel, fd, path);
        }
    }
}
