package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

/** Open sites and open handles: a site is named once, a handle is kept from its open to its close. */
class OpenHandleHooksTest extends HookTestSupport {
    @Test
    void aSiteIsInternedOnce() {
        int id = OpenHandleHooks.internOpenSite("OpenHandleHooksTest.once:1");
        assertTrue(id > 0 && id < OpenHandleHooks.MAX_SITES);
        assertEquals(id, OpenHandleHooks.internOpenSite("OpenHandleHooksTest.once:1"));
        assertTrue(OpenHandleHooks.internOpenSite("OpenHandleHooksTest.once:2") != id);
    }

    @Test
    void aHandleOpenedAtASiteIsTrackedUntilItIsClosed() {
        int site = OpenHandleHooks.internOpenSite("OpenHandleHooksTest.open:10");
        Object handle = new Object();
        Object fd = new Object();
        int before = OpenHandleHooks.OPEN.size();
        List<RecordedEvent> opens = recorded("FileOpen", () -> {
            OpenHandleHooks.openSite(site);
            OpenHandleHooks.constructed(handle, fd, "/data/open");
            OpenHandleHooks.openedAt(handle, site);
        });
        assertEquals(before + 1, OpenHandleHooks.OPEN.size());
        assertEquals(1, opens.size(), "the first open of a site is reported");
        assertEquals("OpenHandleHooksTest.open:10", opens.get(0).getString("openSite"));
        assertEquals("/data/open", OpenHandleHooks.pathOf(fd), "FileDescriptor.sync finds the handle's path");
        assertEquals(0, HookGuard.current().opens.pendingSite);
        assertNull(HookGuard.current().opens.stashedHandle, "nothing stays stashed on the thread");

        assertEquals(site, OpenHandleHooks.forget(handle));
        assertEquals(before, OpenHandleHooks.OPEN.size());
        assertEquals(0, OpenHandleHooks.forget(handle), "a handle is forgotten once");
    }

    @Test
    void aHandleNotFromThePendingSiteIsNotTracked() {
        int site = OpenHandleHooks.internOpenSite("OpenHandleHooksTest.other:20");
        int before = OpenHandleHooks.OPEN.size();
        OpenHandleHooks.constructed(new Object(), null, "/data/a"); // no site pending: a field read
        OpenHandleHooks.openSite(site);
        OpenHandleHooks.constructed(new Object(), null, "/data/b");
        OpenHandleHooks.openedAt(new Object(), site); // returned another object than it constructed
        assertEquals(before, OpenHandleHooks.OPEN.size());
    }

    /** Files.newOutputStream & co: the wrapper returned is not the handle, the channel opened inside the call is. */
    @Test
    void whatFilesReturnsIsTrackedByItsChannel() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("open-through", ".log");
        int site = OpenHandleHooks.internOpenSite("OpenHandleHooksTest.through:30");
        int before = OpenHandleHooks.OPEN.size();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            OpenHandleHooks.openSite(site);
            OpenHandleHooks.constructed(channel, null, file.toString());
            Object wrapper = java.nio.channels.Channels.newInputStream(channel);
            OpenHandleHooks.openedThrough(wrapper, site);
            assertEquals(before + 1, OpenHandleHooks.OPEN.size());
            assertEquals(site, OpenHandleHooks.forget(channel), "its channel's close forgets it");
            assertEquals(0, OpenHandleHooks.forget(wrapper));

            // a stream stashed inside the call is not what the wrapper closes
            OpenHandleHooks.openSite(site);
            OpenHandleHooks.constructed(new Object(), null, "/data/c");
            OpenHandleHooks.openedThrough(wrapper, site);
            // a channel stashed for an earlier site whose call threw is not this site's
            OpenHandleHooks.openSite(site);
            OpenHandleHooks.constructed(channel, null, file.toString());
            OpenHandleHooks.openSite(site);
            OpenHandleHooks.openedThrough(wrapper, site);
            assertEquals(before, OpenHandleHooks.OPEN.size());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void theOpenTableIsBoundedAndCountsWhatItDrops() {
        WeakIdentityTable small = new WeakIdentityTable(4, 8);
        Object[] keys = new Object[20];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
            small.put(keys[i], Boolean.TRUE);
        }
        assertTrue(small.size() <= 8, "size " + small.size());
        assertTrue(small.dropped >= keys.length - 8, "dropped " + small.dropped);
    }
}
