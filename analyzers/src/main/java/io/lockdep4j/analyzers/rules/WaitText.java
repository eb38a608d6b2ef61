package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.LockModes;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.analyzers.model.ThreadRef;
import io.lockdep4j.analyzers.rules.WaitWhileHoldingRule.Evidence;
import io.lockdep4j.analyzers.rules.WaitWhileHoldingRule.Need;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wait-while-holding finding as a reader acts on it: what the evidence is (by instance, by
 * class, inferred), what the wait costs (its bound, or forever), and a Fix that fits the kind of
 * wait (a monitor wait, a join, a pool's termination, a reader waiting for a writer).
 */
final class WaitText {
    private WaitText() {}

    static final String MONITOR_WAIT = "java.lang.Object#wait";

    static boolean isSleep(ReleasePaths.Wait w) {
        return w.kind().endsWith("#sleep");
    }

    static boolean isJoin(ReleasePaths.Wait w) {
        return w.kind().endsWith("#join");
    }

    static boolean isTermination(ReleasePaths.Wait w) {
        return w.kind().endsWith("#awaitTermination");
    }

    /** A thread's or a pool worker's end: the signal of a join or an awaitTermination. */
    static boolean isEnd(ReleasePaths.Wait s) {
        return s.kind().endsWith("Thread#exit") || s.kind().endsWith("#workerEnd");
    }

    /** "10 s", "250 ms", "1.5 s". */
    static String bound(long nanos) {
        if (nanos >= 1_000_000_000L) {
            double s = nanos / 1e9;
            return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
        }
        if (nanos >= 1_000_000L) {
            return nanos / 1_000_000L + " ms";
        }
        return nanos + " ns";
    }

    static Finding finding(LockModel model, String id, String key, ReleasePaths.Wait w, ThreadRef signaller, ReleasePaths.Wait s,
                           HeldLock h, Need need, Evidence ev) {
        String lock = h.lockClass();
        // a monitor or a ReentrantLock has one mode: "(write)" is only said of read-write locks
        String needMode = LockModes.hasModes(model, lock) ? " (" + need.mode() + ")" : "";
        boolean bounded = w.timeoutNanos() > 0;
        StringBuilder sb = new StringBuilder();
        sb.append("Thread ").append(w.thread().display()).append(" waits (").append(w.kind());
        if (bounded) {
            sb.append(", for up to ").append(bound(w.timeoutNanos()));
        } else if (w.timed()) {
            sb.append(", timed");
        }
        sb.append(") on ").append(w.objectClass()).append('@').append(Integer.toHexString(w.objectId()));
        if (!w.waitedLock().isEmpty()) {
            sb.append(" (lock class ").append(w.waitedLock()).append(')');
        }
        sb.append(" while holding ").append(LockModes.text(model, h));
        if (w.inProgress()) {
            sb.append(", and was still waiting when the program stopped (").append(ReleaseText.ms(w.durationNanos())).append(')');
        }
        sb.append(";\n");
        switch (ev) {
            case INSTANCE -> sb.append("by instance: ").append(signallerRole(w, s)).append(' ').append(signaller.display())
                    .append(' ').append(s.kind().endsWith("#exit") || s.kind().endsWith("#workerEnd") ? "(its end)" : "(" + s.kind() + ")")
                    .append(", needs ").append(lock).append(needMode).append(": it ").append(need.how()).append(".\n");
            case CLASS -> sb.append("by class: thread ").append(signaller.display()).append(" signals monitors of lock class ")
                    .append(s.waitedLock()).append(" (").append(s.kind()).append(" on ").append(s.objectClass()).append('@')
                    .append(Integer.toHexString(s.objectId())).append(") and needs ").append(lock).append(needMode)
                    .append(" to get there: it ").append(need.how())
                    .append(". The two are tied by lock class, not by the same object.\n");
            case INFERRED -> sb.append("nothing signalled it. The likely signaller, ").append(signaller.display())
                    .append(" (inferred: another thread that takes the held lock in a conflicting mode; it never got to signal), needs ")
                    .append(lock).append(needMode).append(": it ").append(need.how()).append(".\n");
        }
        sb.append(consequence(w, lock, ev)).append('\n');
        sb.append("waiter, holding ").append(LockModes.held(model, w.held())).append(":\n");
        ReleaseText.stack(sb, "  ", w.stack());
        if (s != null && need.stack().isEmpty()) {
            // no acquisition of that lock was recorded on the signaller's own thread: show where it
            // signalled, and say that this is not where it took the lock
            sb.append("signaller (").append(s.kind()).append("), after it took and released ").append(lock)
                    .append(" (where it took it was not recorded; this is where it signalled):\n");
            ReleaseText.stack(sb, "  ", s.stack());
        } else {
            sb.append("signaller (").append(s == null ? "inferred, no signal" : s.kind()).append("), where it needs ").append(lock).append(":\n");
            ReleaseText.stack(sb, "  ", need.stack());
        }
        sb.append(fix(w, h, need, lock)).append('\n');
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lock", lock);
        d.put("waiterMode", h.mode());
        d.put("signallerMode", need.mode());
        d.put("evidence", ev.name().toLowerCase(Locale.ROOT));
        Map<String, Object> waiter = new LinkedHashMap<>();
        waiter.put("thread", ReleaseText.thread(w.thread()));
        waiter.put("waitKind", w.kind());
        waiter.put("objectClass", w.objectClass());
        waiter.put("waitedLock", w.waitedLock());
        waiter.put("timed", w.timed());
        waiter.put("timeoutNanos", w.timeoutNanos());
        waiter.put("heldLocks", ReleaseText.strings(w.held()));
        waiter.put("contexts", ReleaseText.strings(w.contexts()));
        waiter.put("waitNanos", w.durationNanos());
        waiter.put("inProgress", w.inProgress());
        waiter.put("stack", w.stack());
        d.put("waiter", waiter);
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("thread", ReleaseText.thread(signaller));
        sig.put("inferred", s == null);
        sig.put("signalKind", s == null ? null : s.kind());
        sig.put("objectClass", s == null ? null : s.objectClass());
        sig.put("heldLocks", s == null ? List.of() : ReleaseText.strings(s.held()));
        sig.put("takenBefore", s == null ? List.of() : ReleaseText.strings(s.takenBefore()));
        sig.put("needs", need.how());
        sig.put("needStack", need.stack());
        sig.put("signalStack", s == null ? List.of() : s.stack());
        d.put("signaller", sig);
        String title = switch (ev) {
            case INFERRED -> "wait while holding " + lock + " never ended: thread " + signaller.name() + " needs it (likely signaller)";
            case INSTANCE -> "wait while holding " + lock + ": the signalling thread " + signaller.name() + " needs it";
            case CLASS -> "wait while holding " + lock + ": thread " + signaller.name() + ", which signals " + w.waitedLock()
                    + " monitors, needs it (by class)";
        };
        return new Finding(id, Severity.ERROR, title, List.of(lock), key, sb.toString(), d);
    }

    private static String signallerRole(ReleasePaths.Wait w, ReleasePaths.Wait s) {
        if (isJoin(w)) {
            return "the thread it joins,";
        }
        if (isTermination(w)) {
            return "a worker of the pool it awaits,";
        }
        return "the thread that signals it,";
    }

    /** What the wait costs: only a wait that never ended shows both sides waiting. */
    static String consequence(ReleasePaths.Wait w, String lock, Evidence ev) {
        String stall = w.timeoutNanos() > 0
                ? "the wait runs to its bound and stalls every thread that needs " + lock + " for up to " + bound(w.timeoutNanos()) + "."
                : w.timed()
                ? "the wait runs to its timeout and stalls every thread that needs " + lock + " until then."
                : "neither ever proceeds, and every thread that needs " + lock + " hangs with them.";
        if (w.inProgress() && ev == Evidence.INFERRED) {
            return "The recording ends with the waiter still waiting: each waits for the other; " + stall;
        }
        return "When the signaller needs " + lock + " while this thread waits, it cannot get to its signal: " + stall;
    }

    static String fix(ReleasePaths.Wait w, HeldLock h, Need need, String lock) {
        if (w.kind().equals(MONITOR_WAIT)) {
            return "Fix: release " + lock + " before wait() (wait gives up only the monitor it waits on"
                    + (w.waitedLock().isEmpty() ? "" : ", " + w.waitedLock()) + "), or let the signaller notify without taking "
                    + lock + " on its way there (take it after the notify, or not at all).";
        }
        if (isJoin(w)) {
            return "Fix: join after releasing " + lock + ", or let the joined thread end without taking " + lock
                    + " (e.g. a volatile flag instead of a check under the lock).";
        }
        if (isTermination(w)) {
            return "Fix: await termination after releasing " + lock + " (shut down under the lock, wait outside it), or keep "
                    + "the pool's tasks from taking " + lock + ".";
        }
        if ("read".equals(h.mode()) && "write".equals(need.mode())) {
            return "Fix: do not wait while holding " + lock + " for reading; drop it first, or make readers not block the"
                    + " writer (a seqcount / StampedLock optimistic read that retries), or defer the request instead of waiting.";
        }
        return "Fix: release " + lock + " before waiting, or let the signaller signal without taking " + lock + ".";
    }
}
