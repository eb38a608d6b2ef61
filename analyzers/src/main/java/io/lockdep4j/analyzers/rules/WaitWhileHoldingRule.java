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
 * Cross-release, offline: thread A holds lock L and waits on object W; a thread that signals W
 * needs L on its way to the signal. While A waits, that thread cannot get to its signal: the
 * recovery lock-out, the appender whose dispatcher logs before it notifies, the stop() that joins
 * a worker which locks the lifecycle. Lockdep's cross-release was reverted for false positives
 * because it guessed who would signal; here every link is a recorded fact.
 *
 * <p>The evidence rules (README, "wait-while-holding"), none of which depends on timing, so one
 * recording analyzed twice, or two identical runs, give the same findings:
 * <ol>
 * <li>The signaller is another thread: a signal by the waiting thread itself is never evidence (a
 *     thread cannot wake itself while it waits). Threads of different recordings are different.</li>
 * <li>It needs L on its path to the signal: it held L at the signal, or it took and released L
 *     before it (the agent's {@code takenBefore}). Locks it takes only after the signal, or that only
 *     other threads take, are no evidence. For a join the signal is the joined thread's end, for
 *     awaitTermination the end of each of the pool's workers: every lock they take before they end.</li>
 * <li>The signal is one the wait waits for: the same object in the same recording (<b>by
 *     instance</b>), or, for monitor waits and notifies, a monitor of the same lock class in any
 *     recording (<b>by class</b>, as lock order is judged by class).</li>
 * <li>Modes conflict: two readers of a read-write lock do not block each other.</li>
 * </ol>
 * When the signal came before the wait in this run is scheduling, not safety: the halves need not
 * overlap. A wait that never ended and was never signalled (a real lock-out, stopped by a signal)
 * is the one exception: another thread that takes L in a conflicting mode is named as the likely
 * signaller, marked inferred.
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

    /** How the signaller needs the lock: its mode, how (held / took before), where. */
    record Need(String mode, String how, List<String> stack) {}

    /** The evidence that ties a signal to a wait. */
    enum Evidence { INSTANCE, CLASS, INFERRED }

    record ObjectKey(int recording, int objectId, String objectClass) {}

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        ReleasePaths rp = model.releasePaths();
        Map<String, Finding> out = new LinkedHashMap<>();
        Map<String, Evidence> evidenceOf = new HashMap<>();
        long unmatched = 0;
        long inferred = 0;
        long byClass = 0;
        // signals by object and by lock class: thousands of waits times thousands of signals
        // would otherwise be compared pairwise
        Map<ObjectKey, List<ReleasePaths.Wait>> byObject = new HashMap<>();
        Map<String, List<ReleasePaths.Wait>> byLock = new HashMap<>();
        for (ReleasePaths.Wait s : rp.signals()) {
            byObject.computeIfAbsent(new ObjectKey(s.thread().recording(), s.objectId(), s.objectClass()), k -> new ArrayList<>()).add(s);
            if (!s.waitedLock().isEmpty()) {
                byLock.computeIfAbsent(s.waitedLock(), k -> new ArrayList<>()).add(s);
            }
        }
        for (ReleasePaths.Wait w : rp.waits()) {
            if (WaitText.isSleep(w)) {
                continue; // nothing signals a sleep; its stall is its bound
            }
            boolean signalled = false;
            List<ReleasePaths.Wait> same = byObject.getOrDefault(new ObjectKey(w.thread().recording(), w.objectId(), w.objectClass()), List.of());
            List<ReleasePaths.Wait> role = w.waitedLock().isEmpty() ? List.of() : byLock.getOrDefault(w.waitedLock(), List.of());
            for (int pass = 0; pass < 2; pass++) {
                Evidence ev = pass == 0 ? Evidence.INSTANCE : Evidence.CLASS;
                for (ReleasePaths.Wait s : pass == 0 ? same : role) {
                    if (s.thread().sameThread(w.thread())) {
                        continue; // a thread cannot wake itself while it waits
                    }
                    if (ev == Evidence.CLASS && s.thread().recording() == w.thread().recording() && s.objectId() == w.objectId()
                            && s.objectClass().equals(w.objectClass())) {
                        continue; // the same object: already judged by instance
                    }
                    signalled = true;
                    for (HeldLock h : w.held()) {
                        Need need = need(model, s, h);
                        if (need == null || !conflicts(h.mode(), need.mode())) {
                            continue;
                        }
                        String key = ReleaseText.key(ID, Frames.methodOf(Frames.site(w.stack())), List.of(h.lockClass()));
                        Evidence known = evidenceOf.get(key);
                        if (known == null || known.ordinal() > ev.ordinal()) {
                            out.put(key, WaitText.finding(model, ID, key, w, s.thread(), s, h, need, ev));
                            evidenceOf.put(key, ev);
                            if (ev == Evidence.CLASS && known == null) {
                                byClass++;
                            }
                        }
                    }
                }
            }
            if (!signalled) {
                unmatched++;
                if (w.inProgress()) {
                    inferred += lockOut(model, w, out, evidenceOf);
                }
            }
        }
        ctx.stat("findings", out.size());
        ctx.stat("byClass", byClass);
        ctx.stat("waitsWithoutSignal", unmatched);
        ctx.stat("inferredSignallers", inferred);
        return new ArrayList<>(out.values());
    }

    /**
     * A wait that never ended and was never signalled: for each held lock, another thread that
     * takes its class in a conflicting mode is taken as the signaller, blocked on it. Returns how
     * many findings it added.
     */
    private static int lockOut(LockModel model, ReleasePaths.Wait w, Map<String, Finding> out, Map<String, Evidence> evidenceOf) {
        int added = 0;
        for (HeldLock h : w.held()) {
            ThreadRef[] who = new ThreadRef[1];
            Need need = otherNeed(model, w.thread(), h, who);
            if (need == null) {
                continue;
            }
            String key = ReleaseText.key(ID, Frames.methodOf(Frames.site(w.stack())), List.of(h.lockClass()));
            if (!out.containsKey(key)) {
                out.put(key, WaitText.finding(model, ID, key, w, who[0], null, h, need, Evidence.INFERRED));
                evidenceOf.put(key, Evidence.INFERRED);
                added++;
            }
        }
        return added;
    }

    /** How a thread other than {@code waiter} (same recording) takes {@code h}'s class in a mode that conflicts with h's. */
    static Need otherNeed(LockModel model, ThreadRef waiter, HeldLock h, ThreadRef[] who) {
        for (ChainInfo c : model.chainSightings()) {
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
                    return new Need(o.acquiredMode(), "takes it, and never signalled", o.acquireStack());
                }
            }
        }
        return null;
    }

    static boolean conflicts(String heldMode, String needMode) {
        return !("read".equals(heldMode) && "read".equals(needMode));
    }

    /**
     * How the signal's thread needed {@code h}'s lock class on its way to the signal, or null: it
     * held it at the signal, or took and released it before. Where that thread takes it is shown
     * from its own recorded acquisitions when there is one (an illustration, not the evidence);
     * when none was recorded on that thread the stack is empty, never another path's stack.
     */
    static Need need(LockModel model, ReleasePaths.Wait signal, HeldLock h) {
        for (HeldLock sh : signal.held()) {
            if (sh.lockClass().equals(h.lockClass())) {
                return new Need(sh.mode(), "held it while signalling", signal.stack());
            }
        }
        for (HeldLock sh : signal.takenBefore()) {
            if (sh.lockClass().equals(h.lockClass())) {
                List<String> where = whereTaken(model, signal.thread(), h.lockClass());
                return new Need(sh.mode(), WaitText.isEnd(signal) ? "took it before it ended" : "took and released it before signalling",
                        where == null ? List.of() : where);
            }
        }
        return null;
    }

    /** A stack where {@code t} itself takes {@code lock}, from its chains or edges; null if none was recorded on that thread. */
    private static List<String> whereTaken(LockModel model, ThreadRef t, String lock) {
        for (ChainInfo c : model.chainSightings()) {
            if (c.thread().sameThread(t) && c.lock().equals(lock)) {
                return c.stack();
            }
        }
        for (LockEdge e : model.edges()) {
            if (e.to().equals(lock)) {
                for (EdgeObservation o : e.observations()) {
                    if (o.thread().sameThread(t)) {
                        return o.acquireStack();
                    }
                }
            }
        }
        return null;
    }
}
