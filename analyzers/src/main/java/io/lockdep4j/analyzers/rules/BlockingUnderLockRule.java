package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.ChainInfo;
import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.LockModes;
import io.lockdep4j.analyzers.model.ThreadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fsync/force or a slow close while holding a lock that other threads also take: those threads
 * stall behind the disk. A lock whose held instances no other thread ever locked (a transaction's
 * own monitor, a request's own lock: the agent's per-instance evidence) stalls nobody and is not
 * counted, even when other threads take other instances of its class. "Other threads take it" comes from the lock graph: LockChain and
 * LockOrderEdge events of a different thread that acquired the lock class; their stacks are the
 * other call paths reported. One finding per blocking call site ({@link BlockingSites}), every
 * path and every event aggregated; operations that fsync-in-notifier or blocking-release report are
 * not reported again here.
 */
public final class BlockingUnderLockRule implements Rule {
    public static final String ID = "blocking-under-lock";
    static final int MAX_OTHER_PATHS = 3;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<RuleOption> options() {
        return List.of(BlockingReleaseRule.SLOW_CLOSE_MILLIS);
    }

    @Override
    public String description() {
        return "fsync or a slow close while holding a lock that other threads take";
    }

    record OtherPath(ThreadRef thread, String mode, List<String> stack) {}

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        long slow = ctx.option(BlockingReleaseRule.SLOW_CLOSE_MILLIS) * 1_000_000L;
        List<BlockingSites.Site> sites = BlockingSites.of(model, slow, BlockingSites.Hazard.UNDER_LOCK);
        // Only lock classes held during slow work need their takers: with 10^6 edges, collecting
        // every acquisition of every lock class costs seconds and hundreds of MB.
        java.util.Set<String> heldWhileSlow = new java.util.HashSet<>();
        sites.forEach(s -> heldWhileSlow.addAll(s.lockClasses()));
        Map<String, List<OtherPath>> takers = new LinkedHashMap<>(); // lock class -> acquisitions by any thread
        if (!heldWhileSlow.isEmpty()) {
            for (ChainInfo c : model.chainSightings()) {
                if (heldWhileSlow.contains(c.lock())) {
                    takers.computeIfAbsent(c.lock(), k -> new ArrayList<>()).add(new OtherPath(c.thread(), c.mode(), c.stack()));
                }
            }
            for (LockEdge e : model.edges()) {
                if (!heldWhileSlow.contains(e.to())) {
                    continue;
                }
                for (EdgeObservation o : e.observations()) {
                    takers.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(new OtherPath(o.thread(), o.acquiredMode(), o.acquireStack()));
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        long unsharedLocks = 0;
        for (BlockingSites.Site s : sites) {
            // the locks of this site that a thread other than the one blocking takes, with those other paths
            Map<String, List<OtherPath>> shared = new LinkedHashMap<>();
            for (String lock : s.lockClasses()) {
                if (neverShared(model, s, lock)) {
                    unsharedLocks++; // other threads take other instances of that class, never these
                    continue;
                }
                List<OtherPath> others = new ArrayList<>();
                List<String> seenSites = new ArrayList<>();
                for (OtherPath p : takers.getOrDefault(lock, List.of())) {
                    String site = Frames.site(p.stack());
                    boolean blocker = s.paths.stream().anyMatch(b -> b.threads.stream().anyMatch(t -> t.sameThread(p.thread())));
                    if (!blocker && !seenSites.contains(site) && others.size() < MAX_OTHER_PATHS) {
                        seenSites.add(site);
                        others.add(p);
                    }
                }
                if (!others.isEmpty()) {
                    shared.put(lock, others);
                }
            }
            if (shared.isEmpty()) {
                continue;
            }
            boolean forces = s.paths.stream().anyMatch(p -> p.forces > 0 || p.forced);
            List<String> locks = new ArrayList<>(shared.keySet());
            StringBuilder sb = new StringBuilder();
            sb.append(s.method).append(forces ? " forced a file to disk" : " closed a file slowly").append(" (")
                    .append(s.count()).append("x, worst ").append(ReleaseText.ms(s.worstNanos())).append(") while holding ")
                    .append(String.join(", ", locks)).append(",\nwhich other threads take; they wait for the disk too.\n");
            BlockingSites.describe(sb, model, s);
            List<Object> otherJson = new ArrayList<>();
            for (var e : shared.entrySet()) {
                for (OtherPath p : e.getValue()) {
                    sb.append("other path: thread ").append(p.thread().display()).append(" takes ")
                            .append(LockModes.hasModes(model, e.getKey()) ? e.getKey() + " (" + p.mode() + ")" : e.getKey()).append('\n');
                    ReleaseText.stack(sb, "  ", p.stack());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("lock", e.getKey());
                    m.put("thread", ReleaseText.thread(p.thread()));
                    m.put("mode", p.mode());
                    m.put("stack", p.stack());
                    otherJson.add(m);
                }
            }
            sb.append("Fix: do the fsync/close after dropping ").append(String.join(", ", locks))
                    .append(", or hand it to a release executor.\n");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("site", s.method);
            d.put("applicationSite", s.applicationMethod(ctx.appFrames()));
            d.put("lock", locks.get(0));
            d.put("locks", locks);
            d.put("maxBlockingNanos", s.worstNanos());
            d.put("count", s.count());
            d.put("paths", BlockingSites.json(s));
            d.put("otherPaths", otherJson);
            d.put("operations", s.ops().stream().map(ReleaseText::op).toList());
            out.add(new Finding(ID, Severity.WARNING, (forces ? "fsync" : "slow close") + " in " + s.shown(ctx.appFrames())
                    + " holding " + String.join(", ", locks) + ", which other threads take", locks,
                    ReleaseText.key(ID, s.method, List.of()), sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        ctx.stat("locksNeverShared", unsharedLocks);
        return out;
    }

    /**
     * Every operation of the site that held {@code lock} held instances that no other thread locked,
     * then or later (the agent's heldUnshared and LockInstanceShared): nobody waited for them.
     */
    static boolean neverShared(LockModel model, BlockingSites.Site s, String lock) {
        boolean any = false;
        for (BlockingSites.Path p : s.paths) {
            if (p.held.stream().anyMatch(h -> h.lockClass().equals(lock))) {
                if (!p.neverShared(model, lock)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }
}
