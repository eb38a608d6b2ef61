package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.ChainInfo;
import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.analyzers.model.ThreadRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-release, offline: thread A holds lock L and waits on object W; the thread that signals W
 * needs L (it held L when it signalled, or its lock chains show it takes L), in a mode that
 * conflicts with A's. Then A waits for B and B waits for A: the recovery lock-out (requests hold
 * a read lock while waiting for recovery, which needs the write lock; why a seqcount cannot become
 * a rw-semaphore). Lockdep's cross-release was reverted for false positives because it guessed
 * who would signal; here the signaller is the one that actually signalled W in the recording.
 *
 * <p>A real lock-out never signals: the waits never end and the program is stopped. The agent
 * reports such waits at shutdown ({@code inProgress}). For them only, a weaker link stands in for
 * the missing signal: another thread of the recording takes the held lock class in a conflicting
 * mode (its acquisition is recorded before it blocks). The wait never ended, so the finding says
 * that this thread is the likely signaller, blocked on the lock, rather than proven.
 */
public final class WaitWhileHoldingRule implements Rule {
    public static final String ID = "wait-while-holding";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a thread waits on an object while holding a lock that the signalling thread needs";
    }

    record Need(String mode, String how, List<String> stack) {}

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        ReleasePaths rp = model.releasePaths();
        Map<String, Finding> out = new LinkedHashMap<>();
        long unmatched = 0;
        long inferred = 0;
        // signals by waited object, in their order: thousands of waits times thousands of signals
        // would otherwise be compared pairwise
        Map<Integer, List<ReleasePaths.Wait>> signalsByObject = new HashMap<>();
        for (ReleasePaths.Wait s : rp.signals()) {
            signalsByObject.computeIfAbsent(s.objectId(), k -> new ArrayList<>()).add(s);
        }
        for (ReleasePaths.Wait w : rp.waits()) {
            boolean matched = false;
            for (ReleasePaths.Wait s : signalsByObject.getOrDefault(w.objectId(), List.of())) {
                if (s.thread().recording() != w.thread().recording()
                        || s.thread().sameThread(w.thread())) {
                    continue;
                }
                matched = true;
                for (HeldLock h : w.held()) {
                    Need need = need(model, s, h);
                    if (need == null || ("read".equals(h.mode()) && "read".equals(need.mode()))) {
                        continue; // two readers do not block each other
                    }
                    String key = ReleaseText.key(ID, Frames.methodOf(Frames.site(w.stack())), List.of(h.lockClass()));
                    out.putIfAbsent(key, finding(key, w, s.thread(), s, h, need));
                }
            }
            if (!matched) {
                unmatched++;
                if (w.inProgress()) {
                    inferred += lockOut(model, w, out);
                }
            }
        }
        ctx.stat("findings", out.size());
        ctx.stat("waitsWithoutSignal", unmatched);
        ctx.stat("inferredSignallers", inferred);
        return new ArrayList<>(out.values());
    }

    /**
     * A wait that never ended and was never signalled: for each held lock, another thread that
     * takes its class in a conflicting mode is taken as the signaller, blocked on it. Returns how
     * many findings it added.
     */
    private static int lockOut(LockModel model, ReleasePaths.Wait w, Map<String, Finding> out) {
        int added = 0;
        for (HeldLock h : w.held()) {
            ThreadRef[] who = new ThreadRef[1];
            Need need = otherNeed(model, w.thread(), h, who);
            if (need == null) {
                continue;
            }
            String key = ReleaseText.key(ID, Frames.methodOf(Frames.site(w.stack())), List.of(h.lockClass()));
            if (out.putIfAbsent(key, finding(key, w, who[0], null, h, need)) == null) {
                added++;
            }
        }
        return added;
    }

    /** How a thread other than {@code waiter} (same recording) takes {@code h}'s class in a mode that conflicts with h's. */
    static Need otherNeed(LockModel model, ThreadRef waiter, HeldLock h, ThreadRef[] who) {
        for (ChainInfo c : model.chains()) {
            if (c.thread().recording() == waiter.recording() && !c.thread().sameThread(waiter) && c.lock().equals(h.lockClass())
                    && !c.trylock() && conflicts(h.mode(), c.mode())) {
                who[0] = c.thread();
                return new Need(c.mode(), "takes it, and never signalled", c.stack());
            }
        }
        for (LockEdge e : model.edges()) {
            if (!e.to().equals(h.lockClass())) {
                continue;
            }
            for (EdgeObservation o : e.observations()) {
                if (o.thread().recording() == waiter.recording() && !o.thread().sameThread(waiter) && !o.trylock()
                        && conflicts(h.mode(), o.acquiredMode())) {
                    who[0] = o.thread();
                    return new Need(o.acquiredMode(), "takes it, and never signalled",
                            o.acquireStack());
                }
            }
        }
        return null;
    }

    private static boolean conflicts(String heldMode, String needMode) {
        return !("read".equals(heldMode) && "read".equals(needMode));
    }

    /** How the signalling thread needs {@code h}'s lock class, or null if it does not. */
    static Need need(LockModel model, ReleasePaths.Wait signal, HeldLock h) {
        for (HeldLock sh : signal.held()) {
            if (sh.lockClass().equals(h.lockClass())) {
                return new Need(sh.mode(), "held it while signalling", signal.stack());
            }
        }
        ThreadRef t = signal.thread();
        Need best = null;
        for (ChainInfo c : model.chains()) {
            if (c.thread().sameThread(t) && c.lock().equals(h.lockClass()) && !c.trylock()) {
                Need n = new Need(c.mode(), "takes it", c.stack());
                if (best == null || "write".equals(n.mode())) {
                    best = n;
                }
            }
        }
        if (best == null) {
            for (LockEdge e : model.edges()) {
                if (!e.to().equals(h.lockClass())) {
                    continue;
                }
                for (EdgeObservation o : e.observations()) {
                    if (o.thread().sameThread(t) && !o.trylock()) {
                        return new Need(o.acquiredMode(), "takes it", o.acquireStack());
                    }
                }
            }
        }
        return best;
    }

    /** {@code s}: the signal seen, or null when the signaller is inferred for a wait that never ended. */
    private static Finding finding(String key, ReleasePaths.Wait w, ThreadRef signaller, ReleasePaths.Wait s,
                                   HeldLock h, Need need) {
        StringBuilder sb = new StringBuilder();
        sb.append("Thread ").append(w.thread().display()).append(" waits (").append(w.kind()).append(w.timed() ? ", timed" : "")
                .append(") on ").append(w.objectClass()).append('@').append(Integer.toHexString(w.objectId()))
                .append(" while holding ").append(h);
        if (w.inProgress()) {
            sb.append(", and was still waiting when the program stopped (").append(ReleaseText.ms(w.durationNanos()))
                    .append(')');
        }
        if (s != null) {
            sb.append(";\nthe thread that signals it, ").append(signaller.display());
        } else {
            sb.append(";\nnothing signalled it. The likely signaller, ").append(signaller.display())
                    .append(" (inferred: another thread that takes the held lock in a conflicting mode; it never got to signal)");
        }
        sb.append(", needs ").append(h.lockClass()).append(" (").append(need.mode()).append("): it ").append(need.how())
                .append(". Each waits for the other: the waiter until its timeout, or forever.\n");
        sb.append("waiter, holding ").append(ReleaseText.held(w.held())).append(":\n");
        ReleaseText.stack(sb, "  ", w.stack());
        sb.append("signaller (").append(s == null ? "inferred, no signal" : s.kind()).append("), where it needs ")
                .append(h.lockClass()).append(":\n");
        ReleaseText.stack(sb, "  ", need.stack());
        sb.append("Fix: do not wait while holding ").append(h.lockClass()).append("; drop it first, or make readers not block the"
                + " writer (a seqcount / StampedLock optimistic read that retries), or defer the request instead of waiting.\n");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lock", h.lockClass());
        d.put("waiterMode", h.mode());
        d.put("signallerMode", need.mode());
        Map<String, Object> waiter = new LinkedHashMap<>();
        waiter.put("thread", ReleaseText.thread(w.thread()));
        waiter.put("waitKind", w.kind());
        waiter.put("objectClass", w.objectClass());
        waiter.put("timed", w.timed());
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
        sig.put("heldLocks", s == null ? List.of() : ReleaseText.strings(s.held()));
        sig.put("needs", need.how());
        sig.put("needStack", need.stack());
        sig.put("signalStack", s == null ? List.of() : s.stack());
        d.put("signaller", sig);
        String title = s == null
                ? "wait while holding " + h.lockClass() + " never ended: thread " + signaller.name() + " needs it (likely signaller)"
                : "wait while holding " + h.lockClass() + ": the signalling thread " + signaller.name() + " needs it";
        return new Finding(ID, Severity.ERROR, title, List.of(h.lockClass()), key, sb.toString(), d);
    }
}
