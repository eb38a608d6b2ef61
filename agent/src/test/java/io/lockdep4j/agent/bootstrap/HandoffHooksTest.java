package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** Hand-offs tag their task with the release; the task's run carries the release's id and closes. */
class HandoffHooksTest extends HookTestSupport {
    @Test
    void aHandOffOutsideAReleaseCountsNothing() {
        Runnable task = () -> { };
        assertFalse(HandoffHooks.handoffEnter(task));
        assertNull(ReleaseMethodHooks.TASKS.get(task));
        assertNull(HandoffHooks.runEnter(task), "an untagged task's run is not tracked");
    }

    @Test
    void aHandedOffTasksRunIsDeferredWorkOfItsRelease() {
        Runnable task = () -> { };
        HeldLocks h = HookGuard.current();
        boolean pushed = ReleaseMethodHooks.releaseEnter("app.Handle", "closeAsync");
        assertTrue(HandoffHooks.handoffEnter(task));
        assertTrue(HandoffHooks.handoffEnter(new Object()), "a nested hand-off (submit calling execute)");
        assertEquals(2, h.releases.handoffDepth);
        assertEquals(1, h.releases.handoffs[0], "a nested hand-off counts once");
        HandoffHooks.handoffExit(true);
        HandoffHooks.handoffExit(true);
        long releaseId = ReleaseMethodHooks.releaseId(h);
        ReleaseMethodHooks.releaseExit(pushed);
        assertTrue(ReleaseMethodHooks.TASKS.get(task) instanceof TaskTag);

        List<RecordedEvent> runs = recorded("DeferredRun", () -> {
            Object token = HandoffHooks.runEnter(task);
            assertTrue(ReleaseMethodHooks.deferred(h));
            assertEquals(releaseId, ReleaseMethodHooks.releaseId(h), "closes in the run belong to the release");
            Object stream = new Object();
            FileReleaseHooks.closeExit(FileReleaseHooks.closeEnter(stream, null, "/data/d", false), stream, null, "/data/d");
            HandoffHooks.runExit(token);
        });
        assertFalse(ReleaseMethodHooks.deferred(h));
        assertNull(ReleaseMethodHooks.TASKS.get(task), "a tag is used once");
        assertEquals(1, runs.size());
        assertEquals(releaseId, runs.get(0).getLong("releaseId"));
        assertEquals("app.Handle#closeAsync", runs.get(0).getString("releaseMethod"));
        assertEquals(1, runs.get(0).getInt("closes"));
    }

    @Test
    void aWorkerRunKeepsItsTokenOnTheThread() {
        Runnable task = () -> { };
        HeldLocks h = HookGuard.current();
        boolean pushed = ReleaseMethodHooks.releaseEnter("app.Handle", "closeAsync");
        HandoffHooks.handoffExit(HandoffHooks.handoffEnter(task));
        ReleaseMethodHooks.releaseExit(pushed);
        HandoffHooks.workerRunStart(task);
        assertTrue(h.releases.workerToken instanceof HandoffHooks.RunToken);
        assertTrue(ReleaseMethodHooks.deferred(h));
        HandoffHooks.workerRunEnd();
        assertNull(h.releases.workerToken);
        assertFalse(ReleaseMethodHooks.deferred(h));
    }
}
