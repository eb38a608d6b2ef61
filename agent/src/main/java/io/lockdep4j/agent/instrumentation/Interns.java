package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.TransformCache;
import io.lockdep4j.agent.bootstrap.Hooks;
import io.lockdep4j.agent.bootstrap.LockClasses;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids that rewritten bytecode carries as constants (lock classes, monitor sites, open sites) are
 * given out at transform time. Every instrumentation asks for them here, so that the transformation
 * of a class the {@link TransformCache} keeps also keeps the list of what it asked, and emits each id
 * as a tagged constant ({@link IdConstants}): a later JVM that reuses the cached bytes asks again, in
 * the same order, and runs the bytes with its own ids patched in ({@link #replay}).
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

    /**
     * Asks for every id again, in order: the map from each tagged constant of the cached template to
     * the id this JVM gave; null when a name that had an id now has none (a full table) or the reverse.
     */
    static Map<Integer, Integer> replay(List<TransformCache.Intern> interns) {
        Map<Integer, Integer> ids = new HashMap<>();
        for (TransformCache.Intern i : interns) {
            int id;
            switch (i.type) {
                case LOCK_CLASS: id = Hooks.internClass(i.value, i.kind); break;
                case MONITOR_SITE: id = LockClasses.internSite(i.value); break;
                case OPEN_SITE: id = OpenHandleHooks.internOpenSite(i.value); break;
                default: return null;
            }
            if ((id == 0) != (i.id == 0)) {
                return null;
            }
            ids.put(IdConstants.tagged(i.type, i.id), id);
        }
        return ids;
    }

    /** The map from this transformation's tagged constants to the ids it was given (the bytes this JVM runs). */
    static Map<Integer, Integer> given(List<TransformCache.Intern> interns) {
        Map<Integer, Integer> ids = new HashMap<>();
        for (TransformCache.Intern i : interns) {
            ids.put(IdConstants.tagged(i.type, i.id), i.id);
        }
        return ids;
    }

    private static int logged(byte type, String value, byte kind, int id) {
        ClassFacts facts = ClassFacts.current();
        if (facts != null && facts.interns != null) { // a transformation for the cache: a template's constant
            facts.interns.add(new TransformCache.Intern(type, value, kind, id));
            return IdConstants.tagged(type, id);
        }
        return id;
    }
}
