package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The thread-id table only ever hands a thread its own record, whoever took its slot meanwhile. */
class ThreadRecordsTest {
    @Test
    void aThreadKeepsItsRecordAfterAnotherThreadTookItsSlot() throws Exception {
        HeldLocks mine = ThreadRecords.current();
        mine.depth = 0;
        assertSame(mine, ThreadRecords.current());
        long myId = Thread.currentThread().getId();
        // thread ids are handed out in order: start threads until one lands on this thread's slot
        AtomicReference<HeldLocks> theirs = new AtomicReference<>();
        for (int i = 0; i < 2 * 4096 + 8; i++) {
            Thread t = new Thread(() -> theirs.set(ThreadRecords.current()));
            t.start();
            t.join();
            if (((t.getId() - myId) & 4095) == 0) {
                break;
            }
        }
        assertNotSame(mine, theirs.get());
        assertSame(mine, ThreadRecords.current(), "this thread's record, again from its ThreadLocal");
        assertSame(mine, ThreadRecords.current());
    }

    @Test
    void aThreadThatClaimsAnotherThreadsIdGetsItsOwnRecord() throws Exception {
        HeldLocks mine = ThreadRecords.current();
        long myId = Thread.currentThread().getId();
        AtomicReference<HeldLocks> theirs = new AtomicReference<>();
        Thread impostor = new Thread(() -> theirs.set(ThreadRecords.current())) {
            @Override
            @SuppressWarnings("deprecation")
            public long getId() {
                return myId;
            }
        };
        impostor.start();
        impostor.join();
        assertNotSame(mine, theirs.get());
        assertSame(mine, ThreadRecords.current());
    }
}
