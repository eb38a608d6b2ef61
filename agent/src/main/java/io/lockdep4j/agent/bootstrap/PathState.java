package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.ContextEvent;
import io.lockdep4j.events.ReleaseEvent;
import java.lang.ref.WeakReference;

/**
 * One thread's release-path state, hung off its {@link HeldLocks}: the open close (to dedupe
 * nested closes and to see forces inside it), the last force outside a close, the context stack
 * and the release stack. Owned by one thread. Context and release slots keep their event object
 * and reuse it, so entering a context or a release method allocates nothing.
 */
final class PathState {
    static final int MAX_CONTEXTS = 16;
    static final int MAX_RELEASES = 8;

    // ---- closes and forces
    int closeDepth;
    Object closeFd;
    boolean closeForced;
    long closeForceNanos;
    int forceDepth;
    int closeSiteId;
    Object syncToken;
    Object syncFd;
    int pendingOpenSite;
    Object stashedHandle;
    Object stashedFd;
    String stashedPath;
    WeakReference<Object> lastForceFd;
    long lastForceNanos;

    // ---- contexts
    int ctxDepth;
    final String[] ctxNames = new String[MAX_CONTEXTS];
    final String[] ctxTypes = new String[MAX_CONTEXTS];
    final String[] ctxMethods = new String[MAX_CONTEXTS];
    final int[] ctxOps = new int[MAX_CONTEXTS];
    final long[] ctxStart = new long[MAX_CONTEXTS];
    final ContextEvent[] ctxEvents = new ContextEvent[MAX_CONTEXTS];
    /** Held locks at the first reported operation inside the context. */
    final String[] ctxHeld = new String[MAX_CONTEXTS];
    int ctxOverflow;

    // ---- releases
    int relDepth;
    final String[] relTypes = new String[MAX_RELEASES];
    final String[] relMethods = new String[MAX_RELEASES];
    final long[] relIds = new long[MAX_RELEASES];
    final int[] relCloses = new int[MAX_RELEASES];
    final int[] relForces = new int[MAX_RELEASES];
    final int[] relHandoffs = new int[MAX_RELEASES];
    final ReleaseEvent[] relEvents = new ReleaseEvent[MAX_RELEASES];
    final String[] relHeld = new String[MAX_RELEASES];
    final String[] relContexts = new String[MAX_RELEASES];
    int relOverflow;
    int handoffDepth;
    int releaseSeq;

    // ---- deferred runs on this (executor) thread
    TaskTag running;
    int runningCloses;
    Object workerToken;

    // ---- waits
    int waitDepth;

    /** The innermost release's id (allocated on first use), else the running deferred task's, else 0. */
    long currentReleaseId(long threadId) {
        if (relDepth > 0) {
            int i = Math.min(relDepth, MAX_RELEASES) - 1;
            if (relIds[i] == 0) {
                relIds[i] = (threadId << 24) ^ (++releaseSeq & 0xFFFFFFL) | (1L << 62);
            }
            return relIds[i];
        }
        return running != null ? running.releaseId : 0;
    }

    /** name:Class#method of every active context, outermost first; null when none. */
    String describeContexts() {
        int d = Math.min(ctxDepth, MAX_CONTEXTS);
        if (d == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d; i++) {
            if (i > 0) {
                sb.append(';');
            }
            describeContext(sb, i);
        }
        return sb.toString();
    }

    void describeContext(StringBuilder sb, int i) {
        sb.append(ctxNames[i]).append(':').append(ctxTypes[i]).append('#').append(ctxMethods[i]);
    }

    /** Marks every active context as having seen a reported operation (held locks: those at the first). */
    void markContexts(String heldNow) {
        int d = Math.min(ctxDepth, MAX_CONTEXTS);
        for (int i = 0; i < d; i++) {
            if (ctxOps[i]++ == 0) {
                ctxHeld[i] = heldNow;
                if (AgentConfig.contextThresholdNanos < 0) {
                    // the context's event starts at its first reported operation (callers are on
                    // a reporting path and hold the busy flag, so allocating here is fine)
                    if (ctxEvents[i] == null) {
                        ctxEvents[i] = new ContextEvent();
                    }
                    ctxEvents[i].begin();
                }
            }
        }
    }

    /** Records the held locks of the innermost release at its first close or hand-off. */
    void noteReleaseHeld(String heldNow, String contextsNow) {
        if (relDepth > 0 && relDepth <= MAX_RELEASES && relHeld[relDepth - 1] == null) {
            relHeld[relDepth - 1] = heldNow;
            relContexts[relDepth - 1] = contextsNow;
        }
    }
}
