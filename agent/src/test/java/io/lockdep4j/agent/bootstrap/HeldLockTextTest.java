package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** The held-lock wire format: class(mode) outermost first, ';'-joined, re-entries and the skipped entry left out. */
class HeldLockTextTest extends HookTestSupport {
    @Test
    void writesHeldLocksOutermostFirstWithoutReentries() {
        HeldLocks h = HookGuard.current();
        assertEquals("", HeldLockText.write(h));
        assertEquals("", HeldLockText.ofCurrentThread());
        Outer outer = new Outer();
        Inner inner = new Inner();
        hold(outer, inner, outer); // the second outer is a re-entry
        String expected = name(Outer.class) + "(write);" + name(Inner.class) + "(write)";
        assertEquals(expected, HeldLockText.write(h));
        assertEquals(expected, HeldLockText.ofCurrentThread());
        assertEquals(2, HeldLockText.count(h, null));
        assertEquals(1, HeldLockText.count(h, inner));
        assertEquals(name(Outer.class) + "(write)", HeldLockText.write(h, -1, inner, false));
        assertEquals(name(Inner.class) + "(write)", HeldLockText.write(h, 0, null, false));
        assertEquals(name(Outer.class) + "(write)#" + System.identityHashCode(outer),
                HeldLockText.write(h, 1, null, true), "instances: class(mode)#identityHash");
    }

    @Test
    void readLocksAreNamedRead() {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        Hooks.name(rw, LockClasses.intern("HeldLockTextTest.rw", LockClasses.KIND_RW_LOCK));
        Object timer = Hooks.beforeLock(rw.readLock(), rw, false);
        Hooks.afterLock(rw, false, timer, null);
        assertEquals("HeldLockTextTest.rw(read)", HeldLockText.write(HookGuard.current()));
        Hooks.unlock(rw, false);
        assertEquals("", HeldLockText.write(HookGuard.current()));
    }
}
