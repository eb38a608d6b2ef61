package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.ChainInfo;
import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * For each release method: the lock classes it takes (LockChain/LockOrderEdge events whose stacks
 * pass through it) and the lock-order edges those acquisitions add under the caller's held locks.
 * A release is called from many places, so whatever it locks is added under every caller's locks:
 * the closure is what makes a "harmless" final put a deadlock. A finding (error) only when an added
 * edge closes a cycle in the lock graph; otherwise the closure is summary information
 * ({@code summary.rules.release-lock-closure.releases} and a note line).
 */
public final class ReleaseLockClosureRule implements Rule {
    public static final String ID = "release-lock-closure";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "the lock classes each release path takes, and the lock-order edges it adds under its callers' locks";
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        Map<String, Set<String>> successors = new HashMap<>();
        for (LockEdge e : model.edges()) {
            if (!e.isSelfEdge() && !e.blockingObservations().isEmpty()) {
                successors.computeIfAbsent(e.from(), k -> new HashSet<>()).add(e.to());
            }
        }
        Map<String, List<ReleasePaths.Release>> byMethod = new LinkedHashMap<>();
        for (ReleasePaths.Release r : model.releasePaths().releases()) {
            byMethod.computeIfAbsent(r.method, k -> new ArrayList<>()).add(r);
        }
        List<Finding> out = new ArrayList<>();
        Map<String, Object> closures = new LinkedHashMap<>();
        for (var entry : byMethod.entrySet()) {
            String method = entry.getKey();
            String frame = method.replace('#', '.') + "(";
            Set<String> taken = new TreeSet<>();
            Set<List<String>> added = new java.util.LinkedHashSet<>();
            for (ChainInfo c : model.chainSightings()) {
                if (passesThrough(c.stack(), frame)) {
                    taken.add(c.lock());
                }
            }
            for (LockEdge e : model.edges()) {
                for (EdgeObservation o : e.observations()) {
                    if (passesThrough(o.acquireStack(), frame)) {
                        taken.add(e.to());
                        if (!e.isSelfEdge() && !o.trylock()) {
                            added.add(List.of(e.from(), e.to()));
                        }
                    }
                }
            }
            Set<String> callerHeld = new TreeSet<>();
            for (ReleasePaths.Release r : entry.getValue()) {
                callerHeld.addAll(ReleaseText.lockClasses(r.held));
            }
            for (String h : callerHeld) {
                for (String t : taken) {
                    if (!h.equals(t)) {
                        added.add(List.of(h, t));
                    }
                }
            }
            if (added.isEmpty()) {
                continue;
            }
            List<Object> edgesJson = new ArrayList<>();
            List<List<String>> cycles = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            long calls = entry.getValue().stream().mapToLong(ReleasePaths.Release::count).sum();
            sb.append("The release path ").append(method).append(" (").append(calls).append(" calls) takes ")
                    .append(taken.isEmpty() ? "no lock itself" : String.join(", ", taken)).append(";\ncallers held ")
                    .append(callerHeld.isEmpty() ? "no locks" : String.join(", ", callerHeld)).append(". Edges it adds:\n");
            for (List<String> e : added) {
                List<String> back = path(successors, e.get(1), e.get(0));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("from", e.get(0));
                m.put("to", e.get(1));
                m.put("closesCycle", back != null);
                if (back != null) {
                    m.put("cyclePath", back);
                    cycles.add(back);
                }
                edgesJson.add(m);
                sb.append("  ").append(e.get(0)).append(" -> ").append(e.get(1))
                        .append(back == null ? "" : "   CLOSES A CYCLE: " + String.join(" -> ", back)).append('\n');
            }
            ReleasePaths.Release first = entry.getValue().get(0);
            sb.append("release stack (").append(first.thread.display()).append("):\n");
            ReleaseText.stack(sb, "  ", first.stack);
            List<String> modes = entry.getValue().stream().map(r -> r.mode).distinct().sorted().toList();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("releaseMethod", method);
            d.put("modes", modes);
            d.put("calls", calls);
            d.put("locksTaken", new ArrayList<>(taken));
            d.put("callerHeldLocks", new ArrayList<>(callerHeld));
            d.put("addedEdges", edgesJson);
            Set<String> all = new TreeSet<>(taken);
            all.addAll(callerHeld);
            List<String> locks = new ArrayList<>(all);
            // Without a cycle the closure is information, not a hazard: it goes to the summary
            // (summary.rules.release-lock-closure.releases), so a safe twin's report stays empty and exits 0.
            if (cycles.isEmpty()) {
                closures.put(method, d);
                ctx.note("release " + method + " takes " + taken + " under callers' " + callerHeld + ", adding "
                        + added.size() + " edge(s), no cycle");
                continue;
            }
            out.add(new Finding(ID, Severity.ERROR,
                    "release " + method + " adds " + added.size() + " lock-order edge" + (added.size() == 1 ? "" : "s")
                            + (cycles.isEmpty() ? "" : ", closing a cycle"),
                    locks, ID + ":" + method, sb.toString(), d));
        }
        ctx.stat("releaseMethods", byMethod.size());
        ctx.stat("releases", closures);
        return out;
    }

    static boolean passesThrough(List<String> stack, String framePrefix) {
        for (String f : stack) {
            if (f.startsWith(framePrefix)) {
                return true;
            }
        }
        return false;
    }

    /** A path from → ... → to in the lock graph (BFS), or null. */
    static List<String> path(Map<String, Set<String>> successors, String from, String to) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        parent.put(from, null);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (n.equals(to)) {
                List<String> p = new ArrayList<>();
                for (String x = n; x != null; x = parent.get(x)) {
                    p.add(0, x);
                }
                p.add(0, to); // the added edge (to -> from) first: a closed loop to -> from -> ... -> to
                return p;
            }
            for (String s : successors.getOrDefault(n, Set.of())) {
                if (!parent.containsKey(s)) {
                    parent.put(s, n);
                    queue.add(s);
                }
            }
        }
        return null;
    }
}
