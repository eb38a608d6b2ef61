package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.FileCloseEvent;
import io.lockdep4j.events.FileForceEvent;
import java.lang.ref.WeakReference;

/**
 * Closes and forces of files (FileStreamCloseInstrumentation, FileChannelInstrumentation,
 * AsyncFileChannelInstrumentation, FileDescriptorSyncInstrumentation, and the JDK 17
 * {@code FileDescriptor.sync} call sites of FileOpenSiteInstrumentation): a FileClose / FileForce
 * event with the locks held, the active contexts and the release they belong to. A close inside a
 * close (a stream closed through its channel) counts once; a force inside a close, or just before
 * the close of the same descriptor, marks the close as forced. Not hot: these may allocate.
 */
public final class FileReleaseHooks {
    private FileReleaseHooks() {}

    /** A close or force inside another one on this thread. */
    static final Object NESTED = new Object();
    /** An outermost close or force that is not reported (already closed, or the recorder's own file). */
    static final Object SUPPRESSED = new Object();
    /** An outermost close that counts, with its event type disabled. */
    static final Object COUNTED = new Object();

    private static final FileCloseEvent CLOSE_PROBE = new FileCloseEvent();
    private static final FileForceEvent FORCE_PROBE = new FileForceEvent();

    /** One thread's open close and force (HeldLocks.files), created on its first close or force. */
    static final class State {
        int closeDepth;
        Object closeFd;
        boolean closeForced;
        long closeForceNanos;
        int closeSiteId;
        int forceDepth;
        /** The last force outside a close, for the close of the same descriptor that follows. */
        WeakReference<Object> lastForceFd;
        long lastForceNanos;
        /** A FileDescriptor.sync call site's token, between syncCallEnter and syncCallExit. */
        Object syncToken;
        Object syncFd;
    }

    static State of(HeldLocks h) {
        State s = h.files;
        if (s == null) {
            s = new State();
            h.files = s;
        }
        return s;
    }

    static final class ForceToken {
        long start;
        FileForceEvent event;
    }

    /**
     * I/O that is never reported: the JFR recorder's own files and threads, class loading
     * (.class/.jar/.jmod), and pseudo-files (/proc, /sys: the JDK's container metrics).
     */
    static boolean isRecorderIo(String path) {
        if (path != null && (path.endsWith(".jfr") || path.endsWith(".jfr.part") || path.endsWith(".class")
                || path.endsWith(".jar") || path.endsWith(".jmod") || path.startsWith("/proc/") || path.startsWith("/sys/"))) {
            return true;
        }
        String t = Thread.currentThread().getName();
        return t.startsWith("JFR ") || t.equals("JFR Shutdown Hook");
    }

    /**
     * Before a close. Returns null (not counted), NESTED (a close inside another close on this
     * thread), SUPPRESSED (outermost but not reported: already closed, or the recorder's own file),
     * COUNTED (counted, event disabled) or the started event.
     */
    public static Object closeEnter(Object resource, Object fd, String path, boolean alreadyClosed) {
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            return null;
        }
        try {
            State s = of(h);
            int site = OpenHandleHooks.forget(resource);
            if (s.closeDepth++ > 0) {
                if (s.closeSiteId == 0) {
                    s.closeSiteId = site; // a stream closed through its channel, or the reverse
                }
                return NESTED;
            }
            s.closeFd = fd;
            s.closeForced = false;
            s.closeForceNanos = 0;
            s.closeSiteId = site;
            if (alreadyClosed || isRecorderIo(path)) {
                return SUPPRESSED;
            }
            if (!CLOSE_PROBE.isEnabled()) {
                return COUNTED;
            }
            FileCloseEvent e = new FileCloseEvent();
            e.begin();
            return e;
        } catch (Throwable t) {
            AgentCounters.failure("closeEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    public static void closeExit(Object token, Object resource, Object fd, String path) {
        if (token == null) {
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            State s = of(h);
            if (s.closeDepth > 0) {
                s.closeDepth--;
            }
            if (s.closeDepth != 0 || token == NESTED || token == SUPPRESSED) {
                return;
            }
            boolean wasBusy = HookGuard.claim(h);
            try {
                boolean forced = s.closeForced;
                long blocking = s.closeForceNanos;
                WeakReference<Object> last = s.lastForceFd;
                if (last != null && fd != null && last.get() == fd) {
                    forced = true;
                    blocking += s.lastForceNanos;
                    s.lastForceFd = null;
                }
                s.closeFd = null;
                ReleaseMethodHooks.noteClose(h);
                String held = HeldLockText.write(h);
                String contexts = ContextHooks.describe(h);
                ReleaseMethodHooks.noteHeld(h, held, contexts);
                ContextHooks.markOperation(h, held);
                if (!(token instanceof FileCloseEvent)) {
                    return;
                }
                FileCloseEvent e = (FileCloseEvent) token;
                e.end();
                e.path = path;
                e.resourceClass = resource == null ? null : resource.getClass().getName();
                e.heldLocks = held;
                e.heldUnshared = h.depth == 0 ? "" : InstanceSharing.heldUnshared(h);
                e.heldLockCount = HeldLockText.count(h, null);
                e.contexts = contexts;
                e.forced = forced;
                e.blockingNanos = blocking;
                e.releaseId = ReleaseMethodHooks.releaseId(h);
                e.deferred = ReleaseMethodHooks.deferred(h);
                e.openSiteId = s.closeSiteId;
                e.commit();
            } finally {
                HookGuard.restore(h, wasBusy);
            }
        } catch (Throwable t) {
            AgentCounters.failure("closeExit", t);
        }
    }

    /** Before a force/sync. Returns the started event (or a marker), or null when not counted. */
    public static Object forceEnter(Object resource, Object fd, String path) {
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            return null;
        }
        try {
            State s = of(h);
            if (s.forceDepth++ > 0) {
                return NESTED;
            }
            if (isRecorderIo(path)) {
                return SUPPRESSED;
            }
            ForceToken token = new ForceToken();
            if (FORCE_PROBE.isEnabled()) {
                token.event = new FileForceEvent();
                token.event.begin();
            }
            token.start = System.nanoTime();
            return token;
        } catch (Throwable t) {
            AgentCounters.failure("forceEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    public static void forceExit(Object token, Object resource, Object fd, String path, boolean metaData) {
        if (token == null) {
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            State s = of(h);
            if (s.forceDepth > 0) {
                s.forceDepth--;
            }
            if (!(token instanceof ForceToken)) {
                return;
            }
            boolean wasBusy = HookGuard.claim(h);
            try {
                long nanos = System.nanoTime() - ((ForceToken) token).start;
                FileForceEvent e = ((ForceToken) token).event;
                boolean insideClose = s.closeDepth > 0;
                if (insideClose) {
                    s.closeForced = true;
                    s.closeForceNanos += nanos;
                } else if (fd != null) {
                    s.lastForceFd = new WeakReference<Object>(fd);
                    s.lastForceNanos = nanos;
                }
                ReleaseMethodHooks.noteForce(h);
                String held = HeldLockText.write(h);
                ContextHooks.markOperation(h, held);
                if (e == null) {
                    return;
                }
                e.end();
                e.path = path != null ? path : OpenHandleHooks.pathOf(fd);
                e.resourceClass = resource == null ? null : resource.getClass().getName();
                e.metaData = metaData;
                e.heldLocks = held;
                e.heldUnshared = h.depth == 0 ? "" : InstanceSharing.heldUnshared(h);
                e.heldLockCount = HeldLockText.count(h, null);
                e.contexts = ContextHooks.describe(h);
                e.insideClose = insideClose;
                e.releaseId = ReleaseMethodHooks.releaseId(h);
                e.deferred = ReleaseMethodHooks.deferred(h);
                e.commit();
            } finally {
                HookGuard.restore(h, wasBusy);
            }
        } catch (Throwable t) {
            AgentCounters.failure("forceExit", t);
        }
    }

    /** FileDescriptor.sync at a call site (JDK 17, where sync is native): before the call. */
    public static void syncCallEnter(Object fd) {
        if (!Hooks.active || fd == null) {
            return;
        }
        try {
            Object token = forceEnter(fd, fd, null);
            State s = of(HookGuard.current());
            s.syncToken = token;
            s.syncFd = token == null ? null : fd;
        } catch (Throwable t) {
            AgentCounters.failure("syncCallEnter", t);
        }
    }

    /** FileDescriptor.sync at a call site: after the call returned normally. */
    public static void syncCallExit() {
        if (!Hooks.active) {
            return;
        }
        try {
            State s = of(HookGuard.current());
            Object token = s.syncToken;
            Object fd = s.syncFd;
            s.syncToken = null;
            s.syncFd = null;
            forceExit(token, fd, fd, null, true);
        } catch (Throwable t) {
            AgentCounters.failure("syncCallExit", t);
        }
    }
}
