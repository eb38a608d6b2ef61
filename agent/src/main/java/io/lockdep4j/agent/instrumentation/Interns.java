package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.TransformCache;
import io.lockdep4j.agent.bootstrap.Hooks;
import io.lockdep4j.agent.bootstrap.LockClasses;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import java.util.List;

/**
 * The ids that rewritten bytecode carries as constants (lock classes, monitor sites, open sites) are
 * given out at transform time. Every instrumentation asks for them here, so that the transformation
 * of a class the {@link TransformCache} keeps also keeps the list of what it asked: a later JVM that
 * reuses the cached bytes asks again, in the same order, and uses the bytes only if it got the same ids.
 */
final class Interns {
    private Interns() {}

    static final byte LOCK_CLASS = 0;
    static final byte MONITOR_SITE = 1;
    static final byte OPEN_SITE = 2;

    /** {@link Hooks#internClass}: a lock class named by a field, an allocation site or a class. */
    static int lockClass(String name, byte kind) {
        return logged(LOCK_CLASS, name, kind, Hooks.internClass(name, kind));
    }

    /** {@link LockClasses#internSite}: an application class with synchronized blocks. */
    static int monitorSite(String lockingClass) {
        return logged(MONITOR_SITE, lockingClass, (byte) 0, LockClasses.internSite(lockingClass));
    }

    /** {@link OpenHandleHooks#internOpenSite}: a file-open site Class.method:line. */
    static int openSite(String site) {
        return logged(OPEN_SITE, site, (byte) 0, OpenHandleHooks.internOpenSite(site));
    }

    /** Asks for every id again, in order; true when each is the one the cached bytes carry. */
    static boolean replay(List<TransformCache.Intern> interns) {
        for (TransformCache.Intern i : interns) {
            int id;
            switch (i.type) {
                case LOCK_CLASS: id = Hooks.internClass(i.value, i.kind); break;
                case MONITOR_SITE: id = LockClasses.internSite(i.value); break;
                case OPEN_SITE: id = OpenHandleHooks.internOpenSite(i.value); break;
                default: return false;
            }
            if (id != i.id) {
                return false;
            }
        }
        return true;
    }

    private static int logged(byte type, String value, byte kind, int id) {
        ClassFacts facts = ClassFacts.current();
        if (facts != null && facts.interns != null) {
            facts.interns.add(new TransformCache.Intern(type, value, kind, id));
        }
        return id;
    }
}
