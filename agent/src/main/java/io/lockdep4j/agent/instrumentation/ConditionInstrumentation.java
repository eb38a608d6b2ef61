package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.WaitHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code AbstractQueuedSynchronizer$ConditionObject} (and the AQLS one): {@code await*} is a wait
 * (the lock that owns the condition is not counted as held: await releases it; the owner is
 * known from {@code ReentrantLock.newCondition}, or is the condition's {@code this$0} sync for
 * read-write locks); {@code signal}/{@code signalAll} are signals. {@code ReentrantLock.newCondition}
 * records which lock owns which condition.
 */
public final class ConditionInstrumentation implements LockdepInstrumentation {
    static final String AQS_CONDITION = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject";
    static final String AQLS_CONDITION = "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionObject";
    static final String REENTRANT_LOCK = "java.util.concurrent.locks.ReentrantLock";

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        return options.releasePaths ? named(AQS_CONDITION).or(named(AQLS_CONDITION)).or(named(REENTRANT_LOCK)) : t -> false;
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        return options.releasePaths ? ClassFilter.named(AQS_CONDITION, AQLS_CONDITION, REENTRANT_LOCK) : ClassFilter.NONE;
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        return (builder, type, loader, module, domain) -> {
            if (type.getName().equals(REENTRANT_LOCK)) {
                return builder.visit(Advices.to(NewConditionAdvice.class).on(named("newCondition")));
            }
            return builder
                    .visit(Advices.to(AwaitAdvice.class).on(nameStartsWith("await")))
                    .visit(Advices.to(WaitAdvice.Signal.class).on(named("signal").or(named("signalAll"))));
        };
    }

    public static final class AwaitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("this$0") Object owner, @Advice.Origin("#t") String type,
                            @Advice.Origin("#m") String method, @Advice.Origin("#d") String descriptor) {
            return WaitHooks.waitEnter(self, owner, WaitHooks.WAIT_CONDITION, type, method, descriptor);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            WaitHooks.waitExit(token);
        }
    }

    public static final class NewConditionAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return Object condition) {
            WaitHooks.conditionCreated(self, condition);
        }
    }
}
