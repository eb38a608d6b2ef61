package io.lockdep4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails the test that introduced a new lock-order cycle (or any other lockdep4j finding), with
 * the lockdep4j text report in the failure message.
 *
 * <pre>{@code
 * @LockOrderCheck
 * class AccountServiceTest { ... }
 * }</pre>
 *
 * Active only when the test JVM runs with the lockdep4j agent ({@code -javaagent:lockdep4j-agent.jar},
 * for example in Maven surefire's {@code argLine}); without the agent the annotation does nothing.
 * See {@link LockOrderCheckExtension} for how a finding is attributed to a test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LockOrderCheckExtension.class)
public @interface LockOrderCheck {
    /** Also fail on findings of severity warning (for example a cycle seen on a single thread). Default: true. */
    boolean failOnWarnings() default true;
}
