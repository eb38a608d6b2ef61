package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.bootstrap.WaitHooks;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import net.bytebuddy.asm.Advice;

/** Shared advice for waits and signals; the wait kind is bound per instrumentation with {@link Kind}. */
public final class WaitAdvice {
    private WaitAdvice() {}

    @Retention(RetentionPolicy.RUNTIME)
    public @interface Kind {}

    static Advice forKind(int kind, Class<?> advice) {
        return Advices.bound(Kind.class, kind, advice);
    }

    public static final class Wait {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Kind int kind, @Advice.Origin("#t") String type,
                            @Advice.Origin("#m") String method, @Advice.Origin("#d") String descriptor) {
            return WaitHooks.waitEnter(self, null, kind, type, method, descriptor);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            WaitHooks.waitExit(token);
        }
    }

    public static final class Signal {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            WaitHooks.signal(self, type, method);
        }
    }
}
