package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.FileReleaseHooks;
import java.lang.reflect.Modifier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code FileDescriptor.sync()} on JDKs where it has a Java body (21+: it wraps the native
 * sync0). On JDK 17 it is itself native and cannot take advice; {@link FileOpenSiteInstrumentation}
 * hooks its call sites in application code instead. The JDK emits no jdk.FileForce for it.
 */
public final class FileDescriptorSyncInstrumentation implements LockdepInstrumentation {
    /** Whether sync() is native on this JDK (then only application call sites are hooked). */
    public static boolean syncIsNative() {
        try {
            return Modifier.isNative(java.io.FileDescriptor.class.getMethod("sync").getModifiers());
        } catch (Throwable t) {
            return true;
        }
    }

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths && !syncIsNative() ? named("java.io.FileDescriptor") : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths && !syncIsNative() ? ClassFilter.named("java.io.FileDescriptor") : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advices.to(SyncAdvice.class).on(named("sync").and(takesArguments(0))));
    }

    public static final class SyncAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self) {
            return FileReleaseHooks.forceEnter(self, self, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.This Object self) {
            FileReleaseHooks.forceExit(token, self, self, null, true);
        }
    }
}
