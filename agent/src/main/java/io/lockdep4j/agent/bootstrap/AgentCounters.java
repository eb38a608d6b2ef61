package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.AgentErrorEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's own counters, published in {@code lockdep4j.AgentStatistics}. Counters that are hit
 * on hot paths are plain racy longs: an approximate count is worth more than a contended CAS.
 */
public final class AgentCounters {
    private AgentCounters() {}

    public static final AtomicLong agentFailures = new AtomicLong();
    public static final AtomicLong transformFailures = new AtomicLong();
    public static final AtomicLong instrumentedClasses = new AtomicLong();
    /** Class files the agent's transformer was called for (loads and retransformations). */
    public static final AtomicLong classesSeen = new AtomicLong();
    /** Classes some instrumentation's ClassFilter let through to Byte Buddy (verbose summary). */
    public static final AtomicLong classesDescribed = new AtomicLong();
    /** Class files whose transformation came from the TransformCache (no Byte Buddy). */
    public static final AtomicLong transformCacheHits = new AtomicLong();
    /** Wall-clock nanoseconds spent in the agent's transformer, matching and rewriting. */
    public static final AtomicLong transformNanos = new AtomicLong();
    public static volatile long droppedChains;
    public static volatile long droppedEdges;
    public static volatile long depthOverflows;
    public static volatile long unmatchedReleases;
    public static volatile long staleHeldLocks;
    // the online cycle check (OnlineCycles), written under Recorder's monitor
    public static volatile long onlineCycleChecks;
    public static volatile long onlineCyclesFound;
    public static volatile long onlineChecksGivenUp;
    public static volatile long onlineReportsSuppressed;

    private static final java.util.Set<String> reportedKinds = new java.util.HashSet<>();
    private static final Object reportedLock = new Object();
    /** Distinct failures reported at most, so that reporting stays bounded. */
    private static final int MAX_REPORTS = 256;
    /**
     * Classes that could not be transformed are reported up to this many, so that a framework
     * whose generated classes all fail cannot use up the reports that failures of the hooks need.
     */
    private static final int MAX_TRANSFORM_REPORTS = 192;
    private static int transformReports; // guarded by reportedLock
    /** Set by the agent when it should print failures to stderr as well (option verbose=true). */
    public static volatile boolean verbose;

    /** Counts a failure inside the agent and reports the first one of each kind. Never throws. */
    public static void failure(String kind, Throwable t) {
        agentFailures.incrementAndGet();
        report(kind, t);
    }

    /**
     * Reports a contained failure once per kind and exception class (at most 256 such pairs, so a
     * flood of failures costs a set lookup each, never a line or an event each): one
     * {@code lockdep4j.AgentError} event, and with verbose=true one line on stderr. The caller
     * counts it. Never throws.
     */
    public static void report(String kind, Throwable t) {
        report(kind, t, false);
    }

    /** {@link #report}, for a class that could not be transformed (see {@link #MAX_TRANSFORM_REPORTS}). */
    public static void reportTransform(String kind, Throwable t) {
        report(kind, t, true);
    }

    private static void report(String kind, Throwable t, boolean transform) {
        try {
            boolean first;
            synchronized (reportedLock) {
                first = reportedKinds.size() < MAX_REPORTS && (!transform || transformReports < MAX_TRANSFORM_REPORTS)
                        && reportedKinds.add(kind + ':' + (t == null ? "" : t.getClass().getName()));
                if (first && transform) {
                    transformReports++;
                }
            }
            if (!first) {
                return;
            }
            String message = t == null ? "" : String.valueOf(t);
            if (verbose) {
                System.err.println("lockdep4j: agent failure (contained, the application is unaffected): " + kind
                        + (t == null ? "" : ": " + message));
            }
            AgentErrorEvent e = new AgentErrorEvent();
            if (e.isEnabled()) {
                e.kind = kind;
                e.message = message;
                e.commit();
            }
        } catch (Throwable ignored) {
            // nothing more we can do without risking the host
        }
    }
}
