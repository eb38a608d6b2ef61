package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** Refcounts below zero and uses after shutdown: each reported once. */
class LifecycleHooksTest extends HookTestSupport {
    @Test
    void aCountBelowZeroIsReturnedOnceThenCountsFromZero() {
        Object buffer = new Object();
        String type = "LifecycleHooksTest.Buffer";
        assertEquals(1, LifecycleHooks.add(buffer, 1, type));
        assertEquals(0, LifecycleHooks.add(buffer, -1, type));
        assertEquals(-1, LifecycleHooks.add(buffer, -1, type));
        assertEquals(0, LifecycleHooks.add(buffer, 0, type), "reset to zero after the underflow");
    }

    @Test
    void aPutBelowZeroIsARefcountUnderflowEvent() {
        Object buffer = new Object();
        List<RecordedEvent> events = recorded("RefcountUnderflow", () -> {
            LifecycleHooks.refcountGet(buffer, "app.Buf", "retain");
            LifecycleHooks.refcountPut(buffer, "app.Buf", "release");
            LifecycleHooks.refcountPut(buffer, "app.Buf", "release");
        });
        assertEquals(1, events.size());
        assertEquals("app.Buf#release", events.get(0).getString("method"));
        assertEquals(-1L, events.get(0).getLong("count"));
    }

    @Test
    void aUseAfterShutdownIsReportedOncePerObject() {
        Object pool = new Object();
        List<RecordedEvent> events = recorded("UseAfterRelease", () -> {
            LifecycleHooks.used(pool, "app.Pool", "borrow"); // before shutdown: fine
            LifecycleHooks.shutdownDone(pool, "app.Pool", "shutdown");
            LifecycleHooks.used(pool, "app.Pool", "borrow");
            LifecycleHooks.used(pool, "app.Pool", "borrow");
        });
        assertEquals(1, events.size());
        assertEquals("app.Pool#borrow", events.get(0).getString("method"));
        assertEquals("app.Pool#shutdown", events.get(0).getString("shutdownMethod"));
        assertEquals(Thread.currentThread().getName(), events.get(0).getString("shutdownThread"));
    }
}
