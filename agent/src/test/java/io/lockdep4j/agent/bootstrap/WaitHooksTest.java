package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** Waits while holding locks: tokens only when a lock is held and the wait can block; signals on waited objects. */
class WaitHooksTest extends HookTestSupport {
    private static Object await(Object waited, int kind) {
        return WaitHooks.waitEnter(waited, null, kind, "java.util.concurrent.CountDownLatch", "await", "()V");
    }

    @Test
    void aWaitWithoutLocksHeldIsNotTracked() {
        assertNull(await(new CountDownLatch(1), WaitHooks.WAIT_LATCH));
        assertEquals(0, HookGuard.current().waitDepth);
    }

    @Test
    void aWaitThatCannotBlockIsSuppressedAndANestedWaitIsNested() {
        hold(new Outer());
        Object done = await(new CountDownLatch(0), WaitHooks.WAIT_LATCH);
        assertSame(WaitHooks.SUPPRESSED, done);
        WaitHooks.waitExit(done);
        Object outer = await(new CountDownLatch(1), WaitHooks.WAIT_LATCH);
        assertTrue(outer instanceof WaitToken);
        Object nested = await(new CountDownLatch(1), WaitHooks.WAIT_LATCH);
        assertSame(WaitHooks.NESTED, nested);
        WaitHooks.waitExit(nested);
        WaitHooks.waitExit(outer);
        assertEquals(0, HookGuard.current().waitDepth);
    }

    @Test
    void aConditionWaitDoesNotCountTheLockItGivesUp() {
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        WaitHooks.conditionCreated(lock, condition);
        Hooks.name(lock, LockClasses.intern("WaitHooksTest.lock", LockClasses.KIND_REENTRANT_LOCK));
        Hooks.afterLock(lock, true, Hooks.beforeLock(lock), null);
        Object token = WaitHooks.waitEnter(condition, null, WaitHooks.WAIT_CONDITION, "C", "await", "()V");
        assertSame(WaitHooks.SUPPRESSED, token, "await releases the only lock held");
        WaitHooks.waitExit(token);
        Hooks.unlock(lock, true);
    }

    @Test
    void aWaitWhileHoldingIsReportedWhenItEndsAndItsSignalToo() {
        Outer lock = new Outer();
        CountDownLatch latch = new CountDownLatch(1);
        List<RecordedEvent> waits = recorded("WaitWhileHolding", () -> {
            hold(lock);
            Object token = await(latch, WaitHooks.WAIT_LATCH);
            assertTrue(((WaitToken) token).tracked, "registered for the shutdown report while it lasts");
            WaitHooks.waitExit(token);
            Hooks.monitorExit(lock);
        });
        assertEquals(1, waits.size());
        assertEquals(name(Outer.class) + "(write)", waits.get(0).getString("heldLocks"));
        assertEquals("java.util.concurrent.CountDownLatch#await", waits.get(0).getString("waitKind"));
        assertEquals(1, waits.get(0).getInt("heldLockCount"));

        List<RecordedEvent> signals = recorded("Signal", () -> {
            WaitHooks.signal(new CountDownLatch(1), "java.util.concurrent.CountDownLatch", "countDown"); // never waited on
            WaitHooks.signal(latch, "java.util.concurrent.CountDownLatch", "countDown");
        });
        assertEquals(1, signals.size());
        assertEquals("", signals.get(0).getString("heldLocks"));
        assertEquals(System.identityHashCode(latch), signals.get(0).getInt("objectId"));
    }
}
