package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** The context stack: nesting, one context per bridge call, bounded depth, reported only with operations inside. */
class ContextHooksTest extends HookTestSupport {
    @Test
    void contextsNestAndABridgeCallOfTheSameMethodIsOneContext() {
        assertNull(ContextHooks.contexts());
        Object outer = ContextHooks.contextEnter("notifier", "app.Bus", "fire");
        Object bridge = ContextHooks.contextEnter("notifier", "app.Bus", "fire");
        assertNull(bridge, "same name, type and method on top: not pushed");
        Object inner = ContextHooks.contextEnter("recovery", "app.Disk", "repair");
        assertEquals("notifier:app.Bus#fire;recovery:app.Disk#repair", ContextHooks.contexts());
        ContextHooks.contextExit(inner);
        ContextHooks.contextExit(bridge);
        assertEquals("notifier:app.Bus#fire", ContextHooks.contexts());
        ContextHooks.contextExit(outer);
        assertNull(ContextHooks.contexts());
    }

    @Test
    void theStackIsBoundedAndCountsItsOverflow() {
        Object[] tokens = new Object[ContextHooks.Stack.MAX + 3];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = ContextHooks.contextEnter("c", "app.T", "m" + i);
            assertNotNull(tokens[i]);
        }
        ContextHooks.Stack s = HookGuard.current().contexts;
        assertEquals(3, s.overflow);
        assertEquals(ContextHooks.Stack.MAX, ContextHooks.contexts().split(";").length);
        for (int i = tokens.length - 1; i >= 0; i--) {
            ContextHooks.contextExit(tokens[i]);
        }
        assertEquals(0, s.depth);
        assertNull(ContextHooks.contexts());
    }

    @Test
    void aContextIsReportedOnlyWhenAnOperationRanInsideIt() {
        Outer lock = new Outer();
        List<RecordedEvent> events = recorded("Context", () -> {
            ContextHooks.contextExit(ContextHooks.contextEnter("notifier", "app.Bus", "idle")); // nothing inside
            Object outer = ContextHooks.contextEnter("notifier", "app.Bus", "fire");
            Object inner = ContextHooks.contextEnter("recovery", "app.Disk", "repair");
            hold(lock);
            HeldLocks h = HookGuard.enter();
            ContextHooks.markOperation(h, HeldLockText.write(h)); // what a close or a wait does
            HookGuard.exit(h);
            Hooks.monitorExit(lock);
            ContextHooks.contextExit(inner);
            ContextHooks.contextExit(outer);
        });
        assertEquals(2, events.size(), events.toString());
        RecordedEvent inner = events.get(0);
        assertEquals("recovery", inner.getString("name"));
        assertEquals("app.Disk#repair", inner.getString("method"));
        assertEquals(2, inner.getInt("depth"));
        assertEquals("notifier:app.Bus#fire", inner.getString("parent"));
        assertEquals(name(Outer.class) + "(write)", inner.getString("heldLocks"), "held at the first operation");
        assertEquals(1, inner.getInt("operations"));
        assertNull(events.get(1).getString("parent"));
    }
}
