package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** Closes and forces: nesting counts once, recorder I/O is suppressed, a force inside a close marks it forced. */
class FileReleaseHooksTest extends HookTestSupport {
    private final Object stream = new Object();
    private final Object fd = new Object();

    @Test
    void aCloseInsideACloseIsNestedAndCountsOnce() {
        HeldLocks h = HookGuard.current();
        Object outer = FileReleaseHooks.closeEnter(stream, fd, "/data/x", false);
        Object inner = FileReleaseHooks.closeEnter(stream, fd, "/data/x", false);
        assertSame(FileReleaseHooks.NESTED, inner);
        assertEquals(2, h.files.closeDepth);
        FileReleaseHooks.closeExit(inner, stream, fd, "/data/x");
        assertEquals(1, h.files.closeDepth);
        FileReleaseHooks.closeExit(outer, stream, fd, "/data/x");
        assertEquals(0, h.files.closeDepth);
        assertFalse(h.busy);
    }

    @Test
    void recorderAndAlreadyClosedFilesAreSuppressed() {
        Object token = FileReleaseHooks.closeEnter(stream, fd, "/tmp/rec.jfr", false);
        assertSame(FileReleaseHooks.SUPPRESSED, token);
        FileReleaseHooks.closeExit(token, stream, fd, "/tmp/rec.jfr");
        token = FileReleaseHooks.closeEnter(stream, fd, "/data/x", true);
        assertSame(FileReleaseHooks.SUPPRESSED, token);
        FileReleaseHooks.closeExit(token, stream, fd, "/data/x");
        assertSame(FileReleaseHooks.SUPPRESSED, FileReleaseHooks.forceEnter(stream, fd, "/x/y.jar"));
        assertTrue(FileReleaseHooks.isRecorderIo("/proc/self/mountinfo"));
        assertFalse(FileReleaseHooks.isRecorderIo("/data/x"));
    }

    @Test
    void busyOrInactiveHooksCountNothing() {
        HeldLocks h = HookGuard.enter();
        assertNull(FileReleaseHooks.closeEnter(stream, fd, "/data/x", false));
        assertNull(FileReleaseHooks.forceEnter(stream, fd, "/data/x"));
        HookGuard.exit(h);
        Hooks.active = false;
        assertNull(FileReleaseHooks.closeEnter(stream, fd, "/data/x", false));
    }

    @Test
    void aForceInsideACloseUnderALockIsOneForcedCloseWithItsHeldLocks() {
        Outer lock = new Outer();
        List<RecordedEvent> closes = recorded("FileClose", () -> {
            hold(lock);
            Object close = FileReleaseHooks.closeEnter(stream, fd, "/data/x", false);
            Object force = FileReleaseHooks.forceEnter(stream, fd, "/data/x");
            FileReleaseHooks.forceExit(force, stream, fd, "/data/x", true);
            FileReleaseHooks.closeExit(close, stream, fd, "/data/x");
            Hooks.monitorExit(lock);
        });
        assertEquals(1, closes.size(), closes.toString());
        RecordedEvent e = closes.get(0);
        assertEquals("/data/x", e.getString("path"));
        assertEquals(name(Outer.class) + "(write)", e.getString("heldLocks"));
        assertEquals(1, e.getInt("heldLockCount"));
        assertTrue(e.getBoolean("forced"));
        assertEquals(0L, e.getLong("releaseId"), "outside a release method");
        assertFalse(e.getBoolean("deferred"));
    }

    @Test
    void aForceJustBeforeTheCloseOfTheSameDescriptorMarksItForced() {
        List<RecordedEvent> closes = recorded("FileClose", () -> {
            Object force = FileReleaseHooks.forceEnter(stream, fd, "/data/x");
            FileReleaseHooks.forceExit(force, stream, fd, "/data/x", false);
            Object close = FileReleaseHooks.closeEnter(stream, fd, "/data/x", false);
            FileReleaseHooks.closeExit(close, stream, fd, "/data/x");
        });
        assertEquals(1, closes.size());
        assertTrue(closes.get(0).getBoolean("forced"));
        assertEquals("", closes.get(0).getString("heldLocks"));
    }

    @Test
    void aSyncCallSiteIsAForceOfItsDescriptor() {
        List<RecordedEvent> forces = recorded("FileForce", () -> {
            FileReleaseHooks.syncCallEnter(fd);
            FileReleaseHooks.syncCallExit();
        });
        assertEquals(1, forces.size());
        assertTrue(forces.get(0).getBoolean("metaData"));
        assertNull(HookGuard.current().files.syncToken);
    }
}
