package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** Release methods: SYNC when they closed a file themselves, DEFERRED when they only handed work off. */
class ReleaseMethodHooksTest extends HookTestSupport {
    private static void close(Object stream) {
        Object token = FileReleaseHooks.closeEnter(stream, null, "/data/r", false);
        FileReleaseHooks.closeExit(token, stream, null, "/data/r");
    }

    @Test
    void aReleaseThatClosesIsSyncAndOneThatHandsOffIsDeferred() {
        Outer lock = new Outer();
        List<RecordedEvent> releases = recorded("Release", () -> {
            boolean sync = ReleaseMethodHooks.releaseEnter("app.Handle", "close");
            hold(lock);
            close(new Object());
            Hooks.monitorExit(lock);
            ReleaseMethodHooks.releaseExit(sync);

            boolean deferred = ReleaseMethodHooks.releaseEnter("app.Handle", "closeAsync");
            HandoffHooks.handoffExit(HandoffHooks.handoffEnter(new Object()));
            ReleaseMethodHooks.releaseExit(deferred);

            ReleaseMethodHooks.releaseExit(ReleaseMethodHooks.releaseEnter("app.Handle", "noop")); // nothing: no event
        });
        assertEquals(2, releases.size(), releases.toString());
        RecordedEvent sync = releases.get(0);
        assertEquals("app.Handle#close", sync.getString("method"));
        assertEquals("SYNC", sync.getString("mode"));
        assertEquals(1, sync.getInt("closes"));
        assertEquals(name(Outer.class) + "(write)", sync.getString("heldLocks"), "held at the first close");
        assertTrue((sync.getLong("releaseId") & (1L << 62)) != 0, "a release id has bit 62 set");
        RecordedEvent deferred = releases.get(1);
        assertEquals("DEFERRED", deferred.getString("mode"));
        assertEquals(0, deferred.getInt("closes"));
        assertEquals(1, deferred.getInt("handoffs"));
        assertTrue(deferred.getLong("releaseId") != sync.getLong("releaseId"));
        assertEquals("SYNC", ReleaseMethodHooks.mode(2));
        assertEquals("DEFERRED", ReleaseMethodHooks.mode(0));
    }

    @Test
    void anInnerReleasesClosesCountInTheOuterOneAndTheCloseCarriesTheId() {
        HeldLocks h = HookGuard.current();
        boolean outer = ReleaseMethodHooks.releaseEnter("app.Pool", "shutdown");
        long outerId = ReleaseMethodHooks.releaseId(h);
        boolean inner = ReleaseMethodHooks.releaseEnter("app.Handle", "close");
        close(new Object());
        long innerId = ReleaseMethodHooks.releaseId(h);
        assertTrue(innerId != 0 && innerId != outerId);
        ReleaseMethodHooks.releaseExit(inner);
        assertEquals(1, h.releases.closes[0], "the inner release's close happened inside the outer one");
        assertEquals(outerId, ReleaseMethodHooks.releaseId(h));
        ReleaseMethodHooks.releaseExit(outer);
        assertEquals(0, h.releases.depth);
        assertEquals(0L, ReleaseMethodHooks.releaseId(h));
        assertFalse(ReleaseMethodHooks.deferred(h));
    }

    @Test
    void theStackIsBoundedAndCountsItsOverflow() {
        boolean[] pushed = new boolean[ReleaseMethodHooks.Stack.MAX + 2];
        for (int i = 0; i < pushed.length; i++) {
            pushed[i] = ReleaseMethodHooks.releaseEnter("app.T", "r" + i);
            assertTrue(pushed[i]);
        }
        ReleaseMethodHooks.Stack s = HookGuard.current().releases;
        assertEquals(2, s.overflow);
        for (int i = pushed.length - 1; i >= 0; i--) {
            ReleaseMethodHooks.releaseExit(pushed[i]);
        }
        assertEquals(0, s.depth);
    }
}
