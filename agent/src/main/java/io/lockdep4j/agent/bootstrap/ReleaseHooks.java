package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.ContextEvent;
import io.lockdep4j.events.DeferredRunEvent;
import io.lockdep4j.events.FileCloseEvent;
import io.lockdep4j.events.FileForceEvent;
import io.lockdep4j.events.FileOpenEvent;
import io.lockdep4j.events.RefcountUnderflowEvent;
import io.lockdep4j.events.ReleaseEvent;
import io.lockdep4j.events.ResourceLeakEvent;
import io.lockdep4j.events.SignalEvent;
import io.lockdep4j.events.UseAfterReleaseEvent;
import io.lockdep4j.events.WaitWhileHoldingEvent;
import java.lang.ref.WeakReference;

/**
 * Entry points for the release-path advice: closes and forces, contexts, release methods and
 * their hand-offs, waits while holding locks and their signals, open handles, refcounts and
 * use-after-shutdown. Same rules as {@link Hooks}: never throw, honour the busy flag, take no
 * java.util.concurrent lock, no lambdas. Context, release, hand-off and task-run hooks can be on
 * hot paths and allocate nothing unless they report; closes, forces and opens are not hot and
 * may allocate.
 */
public final class ReleaseHooks {
    private ReleaseHooks() {}

    static final Object NESTED = new Object();
    static final Object SUPPRESSED = new Object();
    /** An outermost close or force that counts, with its event type disabled. */
    static final Object COUNTED = new Object();

    private static final FileCloseEvent CLOSE_PROBE = new FileCloseEvent();
    private static final FileForceEvent FORCE_PROBE = new FileForceEvent();
    private static final ContextEvent CONTEXT_PROBE = new ContextEvent();
    private static final ReleaseEvent RELEASE_PROBE = new ReleaseEvent();
    private static final DeferredRunEvent RUN_PROBE = new DeferredRunEvent();
    private static final WaitWhileHoldingEvent WAIT_PROBE = new WaitWhileHoldingEvent();
    private static final SignalEvent SIGNAL_PROBE = new SignalEvent();
    private static final FileOpenEvent OPEN_PROBE = new FileOpenEvent();

    /** Tasks handed off inside a release method → their TaskTag. */
    static final WeakIdentityTable TASKS = new WeakIdentityTable(256, 1 << 14);
    /** Objects some thread waited on while holding locks → Boolean.TRUE. */
    static final WeakIdentityTable WAITED = new WeakIdentityTable(64, 1 << 12);
    /** Condition objects → the ReentrantLock that created them. */
    static final WeakIdentityTable CONDITIONS = new WeakIdentityTable(256, 1 << 16);
    /** Open file handles from application open sites → OpenHandle. */
    static final WeakIdentityTable OPEN = new WeakIdentityTable(1024, 1 << 20);
    /** Objects whose shutdown method ran → the shutdown method and thread. */
    static final WeakIdentityTable SHUT_DOWN = new WeakIdentityTable(64, 1 << 14);
    /** Refcounted objects → long[1] count. */
    static final WeakIdentityTable REFCOUNTS = new WeakIdentityTable(256, 1 << 18);

    // =====================================================================================
    // closes and forces

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
     * thread), SUPPRESSED (outermost but not reported: already closed, or the recorder's own file)
     * or the started event.
     */
    public static Object closeEnter(Object resource, Object fd, String path, boolean alreadyClosed) {
        if (!Hooks.active) {
            return null;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return null;
            }
            h.busy = true;
            try {
                PathState s = paths(h);
                Object open = OPEN.isEmpty() ? null : OPEN.remove(resource);
                int site = open instanceof OpenHandle ? ((OpenHandle) open).siteId : 0;
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
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("closeEnter", t);
            return null;
        }
    }

    public static void closeExit(Object token, Object resource, Object fd, String path) {
        if (token == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = paths(h);
            if (s.closeDepth > 0) {
                s.closeDepth--;
            }
            if (s.closeDepth != 0 || token == NESTED || token == SUPPRESSED) {
                return;
            }
            boolean wasBusy = h.busy;
            h.busy = true;
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
                countClose(s);
                String held = describeHeld(h, null);
                String contexts = s.describeContexts();
                s.noteReleaseHeld(held, contexts);
                s.markContexts(held);
                if (!(token instanceof FileCloseEvent)) {
                    return;
                }
                FileCloseEvent e = (FileCloseEvent) token;
                e.end();
                e.path = path;
                e.resourceClass = resource == null ? null : resource.getClass().getName();
                e.heldLocks = held;
                e.heldLockCount = heldCount(h, null);
                e.contexts = contexts;
                e.forced = forced;
                e.blockingNanos = blocking;
                e.releaseId = s.currentReleaseId(h.threadId);
                e.deferred = s.relDepth == 0 && s.running != null;
                e.openSiteId = s.closeSiteId;
                e.commit();
            } finally {
                h.busy = wasBusy;
            }
        } catch (Throwable t) {
            AgentCounters.failure("closeExit", t);
        }
    }

    private static void countClose(PathState s) {
        if (s.relDepth > 0) {
            s.relCloses[Math.min(s.relDepth, PathState.MAX_RELEASES) - 1]++;
        }
        if (s.running != null) {
            s.runningCloses++;
        }
    }

    /** Before a force/sync. Returns the started event (or a marker), or null when not counted. */
    public static Object forceEnter(Object resource, Object fd, String path) {
        if (!Hooks.active) {
            return null;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return null;
            }
            h.busy = true;
            try {
                PathState s = paths(h);
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
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("forceEnter", t);
            return null;
        }
    }

    public static void forceExit(Object token, Object resource, Object fd, String path, boolean metaData) {
        if (token == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = paths(h);
            if (s.forceDepth > 0) {
                s.forceDepth--;
            }
            if (!(token instanceof ForceToken)) {
                return;
            }
            boolean wasBusy = h.busy;
            h.busy = true;
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
                if (s.relDepth > 0) {
                    s.relForces[Math.min(s.relDepth, PathState.MAX_RELEASES) - 1]++;
                }
                String held = describeHeld(h, null);
                s.markContexts(held);
                if (e == null) {
                    return;
                }
                e.end();
                e.path = path != null ? path : pathOf(fd);
                e.resourceClass = resource == null ? null : resource.getClass().getName();
                e.metaData = metaData;
                e.heldLocks = held;
                e.heldLockCount = heldCount(h, null);
                e.contexts = s.describeContexts();
                e.insideClose = insideClose;
                e.releaseId = s.currentReleaseId(h.threadId);
                e.deferred = s.relDepth == 0 && s.running != null;
                e.commit();
            } finally {
                h.busy = wasBusy;
            }
        } catch (Throwable t) {
            AgentCounters.failure("forceExit", t);
        }
    }

    static final class ForceToken {
        long start;
        FileForceEvent event;
    }

    /** The path of an application-opened handle whose FileDescriptor this is (for FileDescriptor.sync). */
    static String pathOf(Object fd) {
        if (fd == null || OPEN.isEmpty()) {
            return null;
        }
        final String[] found = new String[1];
        final Object target = fd;
        OPEN.forEach(new WeakIdentityTable.Visitor() {
            @Override
            public void visit(Object key, Object value) {
                if (found[0] == null && value instanceof OpenHandle && ((OpenHandle) value).fd == target) {
                    found[0] = ((OpenHandle) value).path;
                }
            }
        });
        return found[0];
    }

    /** FileDescriptor.sync at a call site (JDK 17, where sync is native): before the call. */
    public static void syncCallEnter(Object fd) {
        if (!Hooks.active || fd == null) {
            return;
        }
        try {
            Object token = forceEnter(fd, fd, null);
            PathState s = paths(Hooks.current());
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
            PathState s = paths(Hooks.current());
            Object token = s.syncToken;
            Object fd = s.syncFd;
            s.syncToken = null;
            s.syncFd = null;
            forceExit(token, fd, fd, null, true);
        } catch (Throwable t) {
            AgentCounters.failure("syncCallExit", t);
        }
    }

    static PathState paths(HeldLocks h) {
        PathState s = h.paths;
        if (s == null) {
            s = new PathState();
            h.paths = s;
        }
        return s;
    }

    // =====================================================================================
    // held locks

    /** Held locks as class(mode), outermost first, skipping re-entries and one identity; "" when none. */
    static String describeHeld(HeldLocks h, Object skipIdentity) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < h.depth; j++) {
            if ((h.flags[j] & HeldLocks.FLAG_REENTRANT) != 0 || (skipIdentity != null && h.identities[j] == skipIdentity)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(LockClasses.name(h.classIds[j])).append('(').append(Recorder.modeName(h.modes[j])).append(')');
        }
        return sb.toString();
    }

    /** How many distinct locks are held, not counting one identity; allocation-free. */
    static int heldCount(HeldLocks h, Object skipIdentity) {
        int n = 0;
        for (int j = 0; j < h.depth; j++) {
            if ((h.flags[j] & HeldLocks.FLAG_REENTRANT) == 0 && (skipIdentity == null || h.identities[j] != skipIdentity)) {
                n++;
            }
        }
        return n;
    }

    /** The current thread's held locks as class(mode);..., or "" (allocates only when some are held). */
    public static String heldLocksDescription() {
        try {
            HeldLocks h = Hooks.current();
            return h.depth == 0 ? "" : describeHeld(h, null);
        } catch (Throwable t) {
            AgentCounters.failure("heldLocksDescription", t);
            return "";
        }
    }

    // =====================================================================================
    // contexts

    /**
     * Enters a context method; returns a token for contextExit (null when nothing was pushed).
     * No clock read, no allocation: the Context event starts at the first reported operation
     * inside the context (or here, when contextThresholdMs is set).
     */
    public static Object contextEnter(String name, String type, String method) {
        if (!Hooks.active) {
            return null;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return false;
            }
            PathState s = paths(h);
            int d = s.ctxDepth;
            if (d > 0 && d <= PathState.MAX_CONTEXTS && s.ctxNames[d - 1] == name && s.ctxMethods[d - 1].equals(method)
                    && s.ctxTypes[d - 1].equals(type)) {
                return null; // a bridge or super call of the same context method: one context
            }
            s.ctxDepth = d + 1;
            if (d >= PathState.MAX_CONTEXTS) {
                s.ctxOverflow++;
                return s;
            }
            s.ctxNames[d] = name;
            s.ctxTypes[d] = type;
            s.ctxMethods[d] = method;
            s.ctxOps[d] = 0;
            if (AgentConfig.contextThresholdNanos >= 0) {
                s.ctxStart[d] = System.nanoTime();
                ContextEvent e = contextEvent(h, s, d);
                if (e != null) {
                    e.begin();
                }
            }
            return s;
        } catch (Throwable t) {
            AgentCounters.failure("contextEnter", t);
            return null;
        }
    }

    /** The reusable event of context slot d, or null when the event type is off. */
    static ContextEvent contextEvent(HeldLocks h, PathState s, int d) {
        if (!CONTEXT_PROBE.isEnabled()) {
            return null;
        }
        ContextEvent e = s.ctxEvents[d];
        if (e == null) {
            boolean wasBusy = h.busy;
            h.busy = true;
            try {
                e = new ContextEvent();
            } finally {
                h.busy = wasBusy;
            }
            s.ctxEvents[d] = e;
        }
        return e;
    }

    public static void contextExit(Object token) {
        if (!(token instanceof PathState)) {
            return;
        }
        try {
            PathState s = (PathState) token;
            int d = s.ctxDepth - 1;
            if (d < 0) {
                return;
            }
            s.ctxDepth = d;
            if (d >= PathState.MAX_CONTEXTS) {
                return;
            }
            boolean report = s.ctxOps[d] > 0 || (AgentConfig.contextThresholdNanos >= 0
                    && System.nanoTime() - s.ctxStart[d] >= AgentConfig.contextThresholdNanos);
            HeldLocks h = report ? Hooks.current() : null;
            ContextEvent e = report ? contextEvent(h, s, d) : null;
            if (e != null) {
                boolean wasBusy = h.busy;
                h.busy = true;
                try {
                    e.end();
                    e.name = s.ctxNames[d];
                    e.method = s.ctxTypes[d] + '#' + s.ctxMethods[d];
                    e.depth = d + 1;
                    if (d > 0) {
                        StringBuilder sb = new StringBuilder();
                        s.describeContext(sb, d - 1);
                        e.parent = sb.toString();
                    } else {
                        e.parent = null;
                    }
                    e.heldLocks = s.ctxOps[d] > 0 ? s.ctxHeld[d] : describeHeld(h, null);
                    e.operations = s.ctxOps[d];
                    e.commit();
                } finally {
                    h.busy = wasBusy;
                }
            }
            s.ctxNames[d] = null;
            s.ctxTypes[d] = null;
            s.ctxMethods[d] = null;
            s.ctxHeld[d] = null;
        } catch (Throwable t) {
            AgentCounters.failure("contextExit", t);
        }
    }

    /** Active context names on this thread as name:Class#method;...; null when none. For tests. */
    public static String contexts() {
        try {
            HeldLocks h = Hooks.current();
            return h.paths == null ? null : h.paths.describeContexts();
        } catch (Throwable t) {
            return null;
        }
    }

    // =====================================================================================
    // release methods and hand-offs

    public static boolean releaseEnter(String type, String method) {
        if (!Hooks.active) {
            return false;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return false;
            }
            PathState s = paths(h);
            int d = s.relDepth;
            s.relDepth = d + 1;
            if (d >= PathState.MAX_RELEASES) {
                s.relOverflow++;
                return true;
            }
            s.relTypes[d] = type;
            s.relMethods[d] = method;
            s.relIds[d] = 0;
            s.relCloses[d] = 0;
            s.relForces[d] = 0;
            s.relHandoffs[d] = 0;
            s.relHeld[d] = null;
            s.relContexts[d] = null;
            if (RELEASE_PROBE.isEnabled()) {
                ReleaseEvent e = s.relEvents[d];
                if (e == null) {
                    h.busy = true;
                    try {
                        e = new ReleaseEvent();
                    } finally {
                        h.busy = false;
                    }
                    s.relEvents[d] = e;
                }
                e.begin();
            }
            return true;
        } catch (Throwable t) {
            AgentCounters.failure("releaseEnter", t);
            return false;
        }
    }

    public static void releaseExit(boolean pushed) {
        if (!pushed) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = paths(h);
            int d = s.relDepth - 1;
            if (d < 0) {
                return;
            }
            if (d >= PathState.MAX_RELEASES) {
                s.relDepth = d;
                return;
            }
            int closes = s.relCloses[d];
            int handoffs = s.relHandoffs[d];
            ReleaseEvent e = s.relEvents[d];
            if ((closes > 0 || handoffs > 0) && e != null && RELEASE_PROBE.isEnabled()) {
                boolean wasBusy = h.busy;
                h.busy = true;
                try {
                    e.end();
                    e.releaseId = s.currentReleaseId(h.threadId);
                    e.method = s.relTypes[d] + '#' + s.relMethods[d];
                    e.mode = closes > 0 ? "SYNC" : "DEFERRED";
                    e.closes = closes;
                    e.forces = s.relForces[d];
                    e.handoffs = handoffs;
                    e.heldLocks = s.relHeld[d];
                    e.contexts = s.relContexts[d];
                    s.markContexts(describeHeld(h, null));
                    e.commit();
                } finally {
                    h.busy = wasBusy;
                }
            }
            if (d > 0) {
                // an inner release's closes and hand-offs happened inside the outer one too
                s.relCloses[d - 1] += closes;
                s.relForces[d - 1] += s.relForces[d];
                s.relHandoffs[d - 1] += handoffs;
            }
            s.relDepth = d;
            s.relTypes[d] = null;
            s.relMethods[d] = null;
        } catch (Throwable t) {
            AgentCounters.failure("releaseExit", t);
        }
    }

    /**
     * Before a hand-off method (Executor.execute, ExecutorService.submit, configured ones).
     * Outside a release method: one ThreadLocal read. Inside: tags the task (argument 0).
     * Returns whether it counted (pass that to handoffExit).
     */
    public static boolean handoffEnter(Object task) {
        if (!Hooks.active) {
            return false;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = h.paths;
            if (s == null || s.relDepth == 0 || h.busy) {
                return false;
            }
            h.busy = true;
            try {
                int d = Math.min(s.relDepth, PathState.MAX_RELEASES) - 1;
                if (s.handoffDepth++ == 0) {
                    s.relHandoffs[d]++;
                    String held = describeHeld(h, null);
                    s.noteReleaseHeld(held, s.describeContexts());
                    s.markContexts(held);
                }
                if (task != null) {
                    long id = s.currentReleaseId(h.threadId);
                    TASKS.put(task, new TaskTag(id, s.relTypes[d] + '#' + s.relMethods[d],
                            Thread.currentThread().getName(), System.nanoTime()));
                }
            } finally {
                h.busy = false;
            }
            return true;
        } catch (Throwable t) {
            AgentCounters.failure("handoffEnter", t);
            return false;
        }
    }

    public static void handoffExit(boolean counted) {
        if (!counted) {
            return;
        }
        try {
            PathState s = Hooks.current().paths;
            if (s != null && s.handoffDepth > 0) {
                s.handoffDepth--;
            }
        } catch (Throwable t) {
            AgentCounters.failure("handoffExit", t);
        }
    }

    /** Before a task runs (FutureTask.run). Nothing tagged anywhere: one volatile read. */
    public static Object runEnter(Object task) {
        if (TASKS.isEmpty() || !Hooks.active || task == null) {
            return null;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return null;
            }
            h.busy = true;
            try {
                Object tag = TASKS.remove(task);
                if (!(tag instanceof TaskTag)) {
                    return null;
                }
                PathState s = paths(h);
                RunToken token = new RunToken((TaskTag) tag, s.running, s.runningCloses, task.getClass().getName());
                s.running = (TaskTag) tag;
                s.runningCloses = 0;
                if (RUN_PROBE.isEnabled()) {
                    token.event = new DeferredRunEvent();
                    token.event.begin();
                }
                return token;
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("runEnter", t);
            return null;
        }
    }

    public static void runExit(Object token) {
        if (!(token instanceof RunToken)) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = paths(h);
            RunToken r = (RunToken) token;
            boolean wasBusy = h.busy;
            h.busy = true;
            try {
                if (r.event != null) {
                    DeferredRunEvent e = r.event;
                    e.end();
                    e.releaseId = r.tag.releaseId;
                    e.releaseMethod = r.tag.releaseMethod;
                    e.taskClass = r.taskClass;
                    e.queueLag = r.startNanos - r.tag.enqueuedNanos;
                    e.submitter = r.tag.submitter;
                    e.closes = s.runningCloses;
                    e.commit();
                }
            } finally {
                h.busy = wasBusy;
            }
            s.running = r.previous;
            s.runningCloses = r.previousCloses;
        } catch (Throwable t) {
            AgentCounters.failure("runExit", t);
        }
    }

    /** ThreadPoolExecutor.runWorker, just before task.run(): the token waits in the thread's state. */
    public static void workerRunStart(Object task) {
        if (TASKS.isEmpty()) {
            return;
        }
        Object token = runEnter(task);
        if (token != null) {
            try {
                paths(Hooks.current()).workerToken = token;
            } catch (Throwable t) {
                AgentCounters.failure("workerRunStart", t);
            }
        }
    }

    /** ThreadPoolExecutor.runWorker, just after task.run() returned. */
    public static void workerRunEnd() {
        try {
            HeldLocks h = Hooks.current();
            PathState s = h.paths;
            if (s == null || s.workerToken == null) {
                return;
            }
            Object token = s.workerToken;
            s.workerToken = null;
            runExit(token);
        } catch (Throwable t) {
            AgentCounters.failure("workerRunEnd", t);
        }
    }

    static final class RunToken {
        final TaskTag tag;
        final TaskTag previous;
        final int previousCloses;
        final String taskClass;
        final long startNanos = System.nanoTime();
        DeferredRunEvent event;

        RunToken(TaskTag tag, TaskTag previous, int previousCloses, String taskClass) {
            this.tag = tag;
            this.previous = previous;
            this.previousCloses = previousCloses;
            this.taskClass = taskClass;
        }
    }

    // =====================================================================================
    // waits while holding locks, and signals

    public static final int WAIT_CONDITION = 0;
    public static final int WAIT_LATCH = 1;
    public static final int WAIT_FUTURE = 2;
    public static final int WAIT_COMPLETABLE = 3;
    public static final int WAIT_JOIN = 4;
    public static final int WAIT_SEMAPHORE = 5;

    /** ReentrantLock.newCondition: remembers which lock owns the condition (await releases it). */
    public static void conditionCreated(Object lock, Object condition) {
        if (!Hooks.active || condition == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return;
            }
            h.busy = true;
            try {
                CONDITIONS.put(condition, lock);
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("conditionCreated", t);
        }
    }

    /**
     * Before a wait. Returns a WaitToken when the thread holds locks and the wait can block;
     * otherwise null after a ThreadLocal read and a depth check.
     */
    public static Object waitEnter(Object waited, Object owner, int kind, String type, String method, String descriptor) {
        if (!Hooks.active || waited == null) {
            return null;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.depth == 0 || h.busy) {
                return null;
            }
            h.busy = true;
            try {
                PathState s = paths(h);
                if (s.waitDepth++ > 0) {
                    return NESTED;
                }
                Object skip = null;
                switch (kind) {
                    case WAIT_CONDITION:
                        Object lock = CONDITIONS.get(waited);
                        skip = lock != null ? lock : owner;
                        break;
                    case WAIT_LATCH:
                        if (((java.util.concurrent.CountDownLatch) waited).getCount() == 0) {
                            return SUPPRESSED;
                        }
                        break;
                    case WAIT_FUTURE:
                    case WAIT_COMPLETABLE:
                        if (((java.util.concurrent.Future<?>) waited).isDone()) {
                            return SUPPRESSED;
                        }
                        break;
                    case WAIT_JOIN:
                        if (!((Thread) waited).isAlive() || waited == Thread.currentThread()) {
                            return SUPPRESSED;
                        }
                        break;
                    case WAIT_SEMAPHORE:
                        if (((java.util.concurrent.Semaphore) waited).availablePermits() > 0) {
                            return SUPPRESSED;
                        }
                        break;
                    default:
                        break;
                }
                int held = heldCount(h, skip);
                if (held == 0) {
                    return SUPPRESSED;
                }
                WAITED.put(waited, Boolean.TRUE);
                WaitToken token = new WaitToken();
                token.start = System.nanoTime();
                if (WAIT_PROBE.isEnabled()) {
                    WaitWhileHoldingEvent e = new WaitWhileHoldingEvent();
                    e.begin();
                    e.waitKind = type + '#' + method;
                    e.objectClass = waited.getClass().getName();
                    e.objectId = System.identityHashCode(waited);
                    e.heldLocks = describeHeld(h, skip);
                    e.heldLockCount = held;
                    e.contexts = s.describeContexts();
                    e.timed = descriptor != null && !descriptor.startsWith("()");
                    token.event = e;
                    // for the shutdown report if this wait never ends; a stack costs ~µs, and a
                    // wait while holding locks is rare and slow
                    Thread me = Thread.currentThread();
                    token.waiterName = me.getName();
                    token.waiterId = me.getId();
                    token.waiterStack = new Throwable();
                    token.tracked = WaitsInProgress.add(token);
                }
                return token;
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("waitEnter", t);
            return null;
        }
    }

    public static void waitExit(Object token) {
        if (token == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = paths(h);
            if (s.waitDepth > 0) {
                s.waitDepth--;
            }
            if (!(token instanceof WaitToken)) {
                return;
            }
            WaitToken w = (WaitToken) token;
            if (w.tracked && !WaitsInProgress.remove(w)) {
                return; // already reported, in progress, by the shutdown report
            }
            if (w.event == null || System.nanoTime() - w.start < AgentConfig.waitThresholdNanos) {
                return;
            }
            boolean wasBusy = h.busy;
            h.busy = true;
            try {
                w.event.end();
                s.markContexts(w.event.heldLocks);
                w.event.commit();
            } finally {
                h.busy = wasBusy;
            }
        } catch (Throwable t) {
            AgentCounters.failure("waitExit", t);
        }
    }

    static final class WaitToken {
        long start;
        WaitWhileHoldingEvent event;
        boolean tracked;
        String waiterName;
        long waiterId;
        Throwable waiterStack;
    }

    /** A signal (countDown, signal, release, completion). Nothing ever waited on while holding: one volatile read. */
    public static void signal(Object target, String type, String method) {
        if (WAITED.isEmpty() || !Hooks.active || target == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return;
            }
            h.busy = true;
            try {
                if (WAITED.get(target) == null || !SIGNAL_PROBE.isEnabled()) {
                    return;
                }
                SignalEvent e = new SignalEvent();
                e.signalKind = type + '#' + method;
                e.objectClass = target.getClass().getName();
                e.objectId = System.identityHashCode(target);
                e.heldLocks = describeHeld(h, null);
                e.heldLockCount = heldCount(h, null);
                e.commit();
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("signal", t);
        }
    }

    // =====================================================================================
    // open handles and leaks

    private static final int MAX_SITES = 1 << 14;
    private static final String[] SITES = new String[MAX_SITES];
    private static final boolean[] SITE_REPORTED = new boolean[MAX_SITES];
    private static int siteCount = 1;
    private static final Object SITE_LOCK = new Object();

    /** At transform time: the id of an open site (Class.method:line); 0 when the table is full. */
    public static int internOpenSite(String site) {
        synchronized (SITE_LOCK) {
            for (int i = 1; i < siteCount; i++) {
                if (SITES[i].equals(site)) {
                    return i;
                }
            }
            if (siteCount >= MAX_SITES) {
                return 0;
            }
            SITES[siteCount] = site;
            return siteCount++;
        }
    }

    static final class OpenHandle {
        final int siteId;
        final String path;
        final String thread;
        final long openedNanos;
        final Object fd;

        OpenHandle(int siteId, String path, String thread, long openedNanos, Object fd) {
            this.fd = fd;
            this.siteId = siteId;
            this.path = path;
            this.thread = thread;
            this.openedNanos = openedNanos;
        }
    }

    /** At an application open site, just before the constructor / FileChannel.open runs. */
    public static void openSite(int siteId) {
        if (!Hooks.active) {
            return;
        }
        try {
            paths(Hooks.current()).pendingOpenSite = siteId;
        } catch (Throwable t) {
            AgentCounters.failure("openSite", t);
        }
    }

    /**
     * At the exit of a FileOutputStream/FileInputStream/RandomAccessFile constructor or of
     * FileChannelImpl.open: when an application open site is pending on this thread, keeps the
     * handle's path and descriptor for {@link #openedAt}. Otherwise a field read.
     */
    public static void constructed(Object handle, Object fd, String path) {
        if (!Hooks.active || handle == null) {
            return;
        }
        try {
            PathState s = Hooks.current().paths;
            if (s == null || s.pendingOpenSite == 0) {
                return;
            }
            s.stashedHandle = handle;
            s.stashedFd = fd;
            s.stashedPath = path;
        } catch (Throwable t) {
            AgentCounters.failure("constructed", t);
        }
    }

    /** Right after an application open site returned its handle: registers it under the site. */
    public static void openedAt(Object handle, int siteId) {
        if (!Hooks.active) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            PathState s = h.paths;
            if (s == null || h.busy) {
                return;
            }
            Object stashed = s.stashedHandle;
            Object fd = s.stashedFd;
            String path = s.stashedPath;
            s.stashedHandle = null;
            s.stashedFd = null;
            s.stashedPath = null;
            s.pendingOpenSite = 0;
            if (handle == null || stashed != handle || siteId <= 0) {
                return;
            }
            h.busy = true;
            try {
                if (fd == null) {
                    try {
                        if (handle instanceof java.io.FileOutputStream) {
                            fd = ((java.io.FileOutputStream) handle).getFD();
                        } else if (handle instanceof java.io.FileInputStream) {
                            fd = ((java.io.FileInputStream) handle).getFD();
                        } else if (handle instanceof java.io.RandomAccessFile) {
                            fd = ((java.io.RandomAccessFile) handle).getFD();
                        }
                    } catch (java.io.IOException ignored) {
                        // no descriptor: sync on it cannot be attributed to a path
                    }
                }
                OPEN.put(handle, new OpenHandle(siteId, path, Thread.currentThread().getName(), System.nanoTime(), fd));
                boolean first;
                synchronized (SITE_LOCK) {
                    first = !SITE_REPORTED[siteId];
                    SITE_REPORTED[siteId] = true;
                }
                if (first && OPEN_PROBE.isEnabled()) {
                    FileOpenEvent e = new FileOpenEvent();
                    e.openSiteId = siteId;
                    e.openSite = SITES[siteId];
                    e.path = path;
                    e.resourceClass = handle.getClass().getName();
                    e.commit();
                }
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("opened", t);
        }
    }

    /**
     * Two shutdown hooks call reportLeaks at once (ours, and JFR's own before its dump): a
     * check-then-set on a volatile let both report, so each leak was reported twice.
     */
    private static final java.util.concurrent.atomic.AtomicBoolean LEAKS_REPORTED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * At shutdown, before the recording is dumped: a ResourceLeak per handle still open, and a
     * WaitWhileHolding (inProgress) per wait while holding locks that has not ended. Once.
     */
    public static void reportLeaks() {
        if (!Hooks.active || !LEAKS_REPORTED.compareAndSet(false, true)) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            boolean wasBusy = h.busy;
            h.busy = true;
            try {
                final long now = System.nanoTime();
                final String[] sites = SITES;
                OPEN.forEach(new WeakIdentityTable.Visitor() {
                    @Override
                    public void visit(Object key, Object value) {
                        if (!(value instanceof OpenHandle) || isClosed(key)) {
                            return;
                        }
                        OpenHandle o = (OpenHandle) value;
                        ResourceLeakEvent e = new ResourceLeakEvent();
                        e.openSiteId = o.siteId;
                        e.openSite = sites[o.siteId];
                        e.path = o.path;
                        e.resourceClass = key.getClass().getName();
                        e.openThread = o.thread;
                        e.openFor = now - o.openedNanos;
                        e.commit();
                    }
                });
                WaitsInProgress.report(AgentConfig.waitThresholdNanos);
            } finally {
                h.busy = wasBusy;
            }
        } catch (Throwable t) {
            AgentCounters.failure("reportLeaks", t);
        }
    }

    /** Channels say whether they are open; streams do not (they leave the table when closed). */
    static boolean isClosed(Object handle) {
        if (handle instanceof java.nio.channels.Channel) {
            return !((java.nio.channels.Channel) handle).isOpen();
        }
        return false;
    }

    // =====================================================================================
    // refcounts and use after shutdown

    public static void refcountGet(Object target, String type, String method) {
        refcount(target, 1, type, method);
    }

    public static void refcountPut(Object target, String type, String method) {
        refcount(target, -1, type, method);
    }

    static volatile long refcountInitial;

    private static void refcount(Object target, int delta, String type, String method) {
        if (!Hooks.active || target == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return;
            }
            h.busy = true;
            try {
                long count;
                synchronized (REFCOUNTS) {
                    Object v = REFCOUNTS.get(target);
                    long[] c;
                    if (v instanceof long[]) {
                        c = (long[]) v;
                    } else {
                        c = new long[] {RefcountConfig.initial(type)};
                        REFCOUNTS.put(target, c);
                    }
                    c[0] += delta;
                    count = c[0];
                    if (count < 0) {
                        c[0] = 0; // report each underflow once, then count from zero again
                    }
                }
                if (count < 0) {
                    RefcountUnderflowEvent e = new RefcountUnderflowEvent();
                    e.objectClass = target.getClass().getName();
                    e.objectId = System.identityHashCode(target);
                    e.method = type + '#' + method;
                    e.count = count;
                    e.commit();
                }
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("refcount", t);
        }
    }

    /** After a shutdown method returned normally. */
    public static void shutdownDone(Object target, String type, String method) {
        if (!Hooks.active || target == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return;
            }
            h.busy = true;
            try {
                SHUT_DOWN.put(target, new String[] {type + '#' + method, Thread.currentThread().getName()});
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("shutdownDone", t);
        }
    }

    /** Before a use method. Nothing shut down: one volatile read. Reports once per object. */
    public static void used(Object target, String type, String method) {
        if (SHUT_DOWN.isEmpty() || !Hooks.active || target == null) {
            return;
        }
        try {
            HeldLocks h = Hooks.current();
            if (h.busy) {
                return;
            }
            h.busy = true;
            try {
                Object v = SHUT_DOWN.get(target);
                if (!(v instanceof String[])) {
                    return;
                }
                String[] info = (String[]) v;
                if (info.length > 2) {
                    return; // already reported
                }
                SHUT_DOWN.put(target, new String[] {info[0], info[1], "reported"});
                UseAfterReleaseEvent e = new UseAfterReleaseEvent();
                e.objectClass = target.getClass().getName();
                e.objectId = System.identityHashCode(target);
                e.method = type + '#' + method;
                e.shutdownMethod = info[0];
                e.shutdownThread = info[1];
                e.commit();
            } finally {
                h.busy = false;
            }
        } catch (Throwable t) {
            AgentCounters.failure("used", t);
        }
    }
}
