package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one guard: inactive hooks and a busy thread get nothing; exit gives the flag back. */
class HookGuardTest extends HookTestSupport {
    @Test
    void enterTakesTheBusyFlagOnceAndExitGivesItBack() {
        HeldLocks h = HookGuard.enter();
        assertSame(HookGuard.current(), h);
        assertTrue(h.busy);
        assertNull(HookGuard.enter(), "a hook inside a hook is ignored (re-entrancy)");
        HookGuard.exit(h);
        assertFalse(h.busy);
        assertSame(h, HookGuard.enter());
        HookGuard.exit(h);
    }

    @Test
    void inactiveHooksDoNothing() {
        Hooks.active = false;
        assertNull(HookGuard.enter());
        assertFalse(HookGuard.current().busy);
    }

    @Test
    void claimKeepsTheCallersFlag() {
        HeldLocks h = HookGuard.enter();
        boolean was = HookGuard.claim(h);
        assertTrue(was);
        HookGuard.restore(h, was);
        assertTrue(h.busy, "an exit hook inside a busy section leaves it busy");
        HookGuard.exit(h);
        was = HookGuard.claim(h);
        assertFalse(was);
        HookGuard.restore(h, was);
        assertFalse(h.busy);
    }

    @Test
    void theLockHotPathIgnoresLocksTakenWhileBusy() {
        Object lock = new Outer();
        HeldLocks h = HookGuard.enter();
        Hooks.monitorEnter(lock);
        HookGuard.exit(h);
        assertTrue(h.depth == 0, "the agent's own locking is not recorded");
        Hooks.monitorEnter(lock);
        assertTrue(h.depth == 1);
        Hooks.monitorExit(lock);
        assertTrue(h.depth == 0);
    }
}
