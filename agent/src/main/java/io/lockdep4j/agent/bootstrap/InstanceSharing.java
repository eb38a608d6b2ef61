package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.LockInstanceSharedEvent;

/**
 * The two ends of "was the lock held during that blocking call ever shared?": at the blocking
 * call, the held instances no other thread had locked ({@link #heldUnshared}); later, the first
 * lock of one of them by another thread ({@link #reportShared}, once per instance).
 */
final class InstanceSharing {
    private InstanceSharing() {}

    private static final LockInstanceSharedEvent PROBE = new LockInstanceSharedEvent();

    /** The held lock instances no other thread has locked so far, as class#identityHash;... (or ""). */
    static String heldUnshared(HeldLocks h) {
        StringBuilder sb = null;
        for (int i = 0; i < h.depth; i++) {
            if ((h.flags[i] & HeldLocks.FLAG_REENTRANT) != 0 || !SharedInstances.claimUnshared(h.identities[i], h.threadId)) {
                continue;
            }
            sb = sb == null ? new StringBuilder() : sb.append(';');
            sb.append(LockClasses.name(h.classIds[i])).append('#').append(Integer.toHexString(System.identityHashCode(h.identities[i])));
        }
        return sb == null ? "" : sb.toString();
    }

    /** A claimed instance was just locked by a second thread (the caller is inside the hook, busy). */
    static void reportShared(Object identity, int classId) {
        if (!PROBE.isEnabled()) {
            return;
        }
        LockInstanceSharedEvent e = new LockInstanceSharedEvent();
        e.lock = LockClasses.name(classId);
        e.instance = System.identityHashCode(identity);
        e.commit();
    }
}
