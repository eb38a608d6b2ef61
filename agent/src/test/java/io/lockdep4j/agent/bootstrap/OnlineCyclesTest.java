package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The online check through the lock hooks, with onCycle=throw so that a cycle shows as the
 * exception: the same rules as the analyzer's LockOrderCycleRule (a gate instance held on every
 * edge, a gate class seen with two instances that is not trusted, a cycle longer than the bound).
 * Every test uses its own monitor classes: the agent's graph is per JVM.
 */
class OnlineCyclesTest extends HookTestSupport {
    private byte policy;

    @BeforeEach
    void throwOnCycle() {
        policy = AgentConfig.onCycle;
        AgentConfig.onCycle = OnlineCycles.THROW;
    }

    @AfterEach
    void restore() {
        AgentConfig.onCycle = policy;
    }

    /** Takes the monitors in order on a new thread, releases them; returns what the last acquisition threw. */
    static Throwable onThread(Object... monitors) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        int[] depth = new int[1];
        Thread t = new Thread(() -> {
            try {
                hold(monitors);
            } catch (Throwable e) {
                thrown[0] = e;
            }
            HeldLocks h = HookGuard.current();
            depth[0] = h.depth;
            for (int i = h.depth - 1; i >= 0; i--) {
                Hooks.monitorExit(h.identities[i]);
            }
        });
        t.start();
        t.join();
        if (thrown[0] != null) {
            assertEquals(monitors.length - 1, depth[0], "the throwing acquisition must not be on the held stack");
        }
        return thrown[0];
    }

    static final class A1 {}
    static final class B1 {}

    @Test
    void theClosingAcquisitionThrowsEveryTimeAndIsNotRecorded() throws Exception {
        Object a = new A1();
        Object b = new B1();
        assertNull(onThread(a, b));
        Throwable t = onThread(b, a);
        assertTrue(t instanceof LockOrderViolationException, String.valueOf(t));
        assertTrue(t.getMessage().contains("WARNING: possible circular locking dependency detected"), t.getMessage());
        assertTrue(onThread(b, a) instanceof LockOrderViolationException, "again: the closing edge was not learned");
        assertNull(onThread(a, b), "the other order is unaffected");
    }

    static final class A2 {}
    static final class B2 {}
    static final class Gate2 {}

    @Test
    void oneGateInstanceOnEveryEdgeIsNoCycle() throws Exception {
        Object gate = new Gate2();
        Object a = new A2();
        Object b = new B2();
        assertNull(onThread(gate, a, b));
        assertNull(onThread(gate, b, a));
    }

    static final class A3 {}
    static final class B3 {}
    static final class Gate3 {}

    @Test
    void aGateClassWithTwoInstancesIsNotTrusted() throws Exception {
        Object a = new A3();
        Object b = new B3();
        assertNull(onThread(new Gate3(), a, b));
        Throwable t = onThread(new Gate3(), b, a); // another instance: it serialises nothing
        assertTrue(t instanceof LockOrderViolationException, String.valueOf(t));
    }

    static final class C1 {}
    static final class C2 {}
    static final class C3 {}
    static final class C4 {}
    static final class C5 {}
    static final class C6 {}
    static final class C7 {}

    @Test
    void cyclesUpToTheLengthBoundAreFoundAndLongerOnesAreNot() throws Exception {
        Object[] c = {new C1(), new C2(), new C3(), new C4(), new C5(), new C6(), new C7()};
        for (int i = 0; i + 1 < c.length; i++) {
            assertNull(onThread(c[i], c[i + 1]));
        }
        assertNull(onThread(c[6], c[0]), "7 lock classes: longer than the bound of " + OnlineCycles.MAX_CYCLE_LENGTH);
        Throwable t = onThread(c[5], c[0]); // C1 -> ... -> C6 -> C1: 6 lock classes
        assertTrue(t instanceof LockOrderViolationException, String.valueOf(t));
    }
}
