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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fsync/force or a slow close while holding a lock that other threads also take: those threads
 * stall behind the disk. "Other threads take it" comes from the lock graph: LockChain and
 * LockOrderEdge events of a different thread that acquired the lock class; their stacks are the
 * other call paths reported.
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
        // Only lock classes held during slow work need their takers: with 10^6 edges, collecting
        // every acquisition of every lock class costs seconds and hundreds of MB.
        java.util.Set<String> heldWhileSlow = new java.util.HashSet<>();
        for (ReleasePaths.Op op : model.releasePaths().operations()) {
            if (op.kind.equals("force") || BlockingReleaseRule.blocking(op, ctx)) {
                op.held.forEach(h -> heldWhileSlow.add(h.lockClass()));
            }
        }
        Map<String, List<OtherPath>> takers = new LinkedHashMap<>(); // lock class -> acquisitions by any thread
        if (!heldWhileSlow.isEmpty()) {
            for (ChainInfo c : model.chains()) {
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
        Map<String, Finding> out = new LinkedHashMap<>();
        for (ReleasePaths.Op op : model.releasePaths().operations()) {
            boolean slow = op.kind.equals("force") || BlockingReleaseRule.blocking(op, ctx);
            if (!slow || op.held.isEmpty()) {
                continue;
            }
            String site = Frames.methodOf(Frames.site(op.stack));
            for (HeldLock h : op.held) {
                String key = ReleaseText.key(ID, site, List.of(h.lockClass()));
                if (out.containsKey(key)) {
                    continue;
                }
                List<OtherPath> others = new ArrayList<>();
                List<String> seenSites = new ArrayList<>();
                for (OtherPath p : takers.getOrDefault(h.lockClass(), List.of())) {
                    String s = Frames.site(p.stack());
                    if (!p.thread().sameThread(op.thread) && !seenSites.contains(s) && others.size() < MAX_OTHER_PATHS) {
                        seenSites.add(s);
                        others.add(p);
                    }
                }
                if (others.isEmpty()) {
                    continue;
                }
                StringBuilder sb = new StringBuilder();
                sb.append("Thread ").append(op.thread.display()).append(' ')
                        .append(op.kind.equals("force") ? "forced a file to disk" : "closed a file").append(" (worst ")
                        .append(ReleaseText.ms(op.worstNanos())).append(", ").append(op.count()).append("x) while holding ")
                        .append(h).append(",\na lock that other threads take; they wait for the disk too.\n");
                sb.append("file: ").append(op.path).append("\nstack:\n");
                ReleaseText.stack(sb, "  ", op.stack);
                List<Object> otherJson = new ArrayList<>();
                for (OtherPath p : others) {
                    sb.append("other path: thread ").append(p.thread().display()).append(" takes ").append(h.lockClass())
                            .append(" (").append(p.mode()).append(")\n");
                    ReleaseText.stack(sb, "  ", p.stack());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("thread", ReleaseText.thread(p.thread()));
                    m.put("mode", p.mode());
                    m.put("stack", p.stack());
                    otherJson.add(m);
                }
                sb.append("Fix: do the fsync/close after dropping ").append(h.lockClass())
                        .append(", or hand it to a release executor.\n");
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("lock", h.lockClass());
                d.put("operation", ReleaseText.op(op));
                d.put("maxBlockingNanos", op.worstNanos());
                d.put("otherPaths", otherJson);
                out.put(key, new Finding(ID, Severity.WARNING, (op.kind.equals("force") ? "fsync" : "slow close") + " in " + site
                        + " holding " + h.lockClass() + ", which other threads take", List.of(h.lockClass()), key, sb.toString(), d));
            }
        }
        ctx.stat("findings", out.size());
        return new ArrayList<>(out.values());
    }
}
