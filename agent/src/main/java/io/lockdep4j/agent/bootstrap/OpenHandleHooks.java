package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.FileOpenEvent;
import io.lockdep4j.events.ResourceLeakEvent;

/**
 * Open handles and leaks (FileOpenSiteInstrumentation's open sites, also of {@code Files.newXxx}, the constructor / open advice
 * of FileStreamCloseInstrumentation and FileChannelInstrumentation, JfrShutdownInstrumentation): an
 * application open site is named at transform time; the handle it opens is kept, weakly, with its
 * site, path and descriptor until it is closed (FileReleaseHooks asks {@link #forget}); at shutdown
 * every handle still open is a ResourceLeak. The first open per site is a FileOpen event.
 */
public final class OpenHandleHooks {
    private OpenHandleHooks() {}

    private static final FileOpenEvent OPEN_PROBE = new FileOpenEvent();

    /** Open file handles from application open sites → OpenHandle. */
    static final WeakIdentityTable OPEN = new WeakIdentityTable(1024, 1 << 20);

    static final int MAX_SITES = 1 << 14;
    private static final String[] SITES = new String[MAX_SITES];
    private static final boolean[] SITE_REPORTED = new boolean[MAX_SITES];
    private static int siteCount = 1; // guarded by SITE_LOCK
    private static final Object SITE_LOCK = new Object();

    /** One thread's open in progress (HeldLocks.opens): announced site, then the constructed handle. */
    static final class State {
        int pendingSite;
        Object stashedHandle;
        Object stashedFd;
        String stashedPath;
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

    /** At an application open site, just before the constructor / FileChannel.open runs. */
    public static void openSite(int siteId) {
        if (!Hooks.active) {
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            State s = h.opens;
            if (s == null) {
                s = new State();
                h.opens = s;
            }
            s.pendingSite = siteId;
            s.stashedHandle = null; // left by an earlier site whose call threw: never this site's handle
            s.stashedFd = null;
            s.stashedPath = null;
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
            State s = HookGuard.current().opens;
            if (s == null || s.pendingSite == 0) {
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
        opened(handle, siteId, false);
    }

    /**
     * Right after {@code Files.newOutputStream} & co returned: what came back (a stream, reader,
     * writer or Stream of lines) wraps the FileChannel opened inside the call, and closing it closes
     * that channel, whose close FileChannelInstrumentation sees: the channel is the handle.
     */
    public static void openedThrough(Object returned, int siteId) {
        opened(returned, siteId, true);
    }

    private static void opened(Object handle, int siteId, boolean throughChannel) {
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            return;
        }
        try {
            State s = h.opens;
            if (s == null) {
                return;
            }
            Object stashed = s.stashedHandle;
            Object fd = s.stashedFd;
            String path = s.stashedPath;
            s.stashedHandle = null;
            s.stashedFd = null;
            s.stashedPath = null;
            s.pendingSite = 0;
            boolean ours = throughChannel ? stashed instanceof java.nio.channels.FileChannel : stashed == handle;
            if (handle != null && ours && siteId > 0) {
                register(stashed, siteId, path, fd == null ? descriptorOf(stashed) : fd);
            }
        } catch (Throwable t) {
            AgentCounters.failure("opened", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    private static Object descriptorOf(Object handle) {
        try {
            if (handle instanceof java.io.FileOutputStream) {
                return ((java.io.FileOutputStream) handle).getFD();
            } else if (handle instanceof java.io.FileInputStream) {
                return ((java.io.FileInputStream) handle).getFD();
            } else if (handle instanceof java.io.RandomAccessFile) {
                return ((java.io.RandomAccessFile) handle).getFD();
            }
        } catch (java.io.IOException ignored) {
            // no descriptor: sync on it cannot be attributed to a path
        }
        return null;
    }

    /** Keeps an open handle under its site; the first handle of a site is a FileOpen event. */
    static void register(Object handle, int siteId, String path, Object fd) {
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
    }

    /** A handle is being closed: forgets it; returns its open site id, 0 when it was not tracked. */
    static int forget(Object handle) {
        Object open = OPEN.isEmpty() ? null : OPEN.remove(handle);
        return open instanceof OpenHandle ? ((OpenHandle) open).siteId : 0;
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
        if (!Hooks.active) {
            return;
        }
        if (!LEAKS_REPORTED.compareAndSet(false, true)) {
            awaitLeakReport();
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            boolean wasBusy = HookGuard.claim(h);
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
                HookGuard.restore(h, wasBusy);
            }
        } catch (Throwable t) {
            AgentCounters.failure("reportLeaks", t);
        } finally {
            leaksReportDone = true;
        }
    }

    /** Set when the report's events are committed. */
    private static volatile boolean leaksReportDone;

    /**
     * The hook that lost the race waits (at most 5 s: shutdown must not hang) until the other has
     * committed its events: when ours won, JFR's hook returned at once and dumped the recording
     * while ours was still reporting, and the leaks were missing from the file.
     */
    private static void awaitLeakReport() {
        long end = System.nanoTime() + 5_000_000_000L;
        try {
            while (!leaksReportDone && System.nanoTime() < end) {
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Channels say whether they are open; streams do not (they leave the table when closed). */
    static boolean isClosed(Object handle) {
        if (handle instanceof java.nio.channels.Channel) {
            return !((java.nio.channels.Channel) handle).isOpen();
        }
        return false;
    }
}
