package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.ChainInfo;
import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.analyzers.model.ThreadRef;
import java.util.ArrayList;
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
        for (ReleasePaths.Wait w : rp.waits()) {
            boolean matched = false;
            for (ReleasePaths.Wait s : rp.signals()) {
                if (s.objectId() != w.objectId() || s.thread().recording() != w.thread().recording()
                        || s.thread().sameThread(w.thread())) {
                    continue;
                }
                matched = true;
                for (ReleasePaths.Held h : w.held()) {
                    Need need = need(model, s, h);
                    if (need == null || ("read".equals(h.mode()) && "read".equals(need.mode()))) {
                        continue; // two readers do not block each other
                    }
                    String key = ReleaseText.key(ID, ReleasePaths.methodOf(Frames.site(w.stack())), List.of(h.lockClass()));
                    out.putIfAbsent(key, finding(key, w, s, h, need));
                }
            }
            if (!matched) {
                unmatched++;
            }
        }
        ctx.stat("findings", out.size());
        ctx.stat("waitsWithoutSignal", unmatched);
        return new ArrayList<>(out.values());
    }

    /** How the signalling thread needs {@code h}'s lock class, or null if it does not. */
    static Need need(LockModel model, ReleasePaths.Wait signal, ReleasePaths.Held h) {
        for (ReleasePaths.Held sh : signal.held()) {
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

    private static Finding finding(String key, ReleasePaths.Wait w, ReleasePaths.Wait s, ReleasePaths.Held h, Need need) {
        StringBuilder sb = new StringBuilder();
        sb.append("Thread ").append(w.thread().display()).append(" waits (").append(w.kind()).append(w.timed() ? ", timed" : "")
                .append(") on ").append(w.objectClass()).append('@').append(Integer.toHexString(w.objectId()))
                .append(" while holding ").append(h).append(";\nthe thread that signals it, ").append(s.thread().display())
                .append(", needs ").append(h.lockClass()).append(" (").append(need.mode()).append("): it ").append(need.how())
                .append(". Each waits for the other: the waiter until its timeout, or forever.\n");
        sb.append("waiter, holding ").append(ReleaseText.held(w.held())).append(":\n");
        ReleaseText.stack(sb, "  ", w.stack());
        sb.append("signaller (").append(s.kind()).append("), where it needs ").append(h.lockClass()).append(":\n");
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
        waiter.put("stack", w.stack());
        d.put("waiter", waiter);
        Map<String, Object> signaller = new LinkedHashMap<>();
        signaller.put("thread", ReleaseText.thread(s.thread()));
        signaller.put("signalKind", s.kind());
        signaller.put("heldLocks", ReleaseText.strings(s.held()));
        signaller.put("needs", need.how());
        signaller.put("needStack", need.stack());
        signaller.put("signalStack", s.stack());
        d.put("signaller", signaller);
        return new Finding(ID, Severity.ERROR, "wait while holding " + h.lockClass() + ": the signalling thread "
                + s.thread().name() + " needs it", List.of(h.lockClass()), key, sb.toString(), d);
    }
}
