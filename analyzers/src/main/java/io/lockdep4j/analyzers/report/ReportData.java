package io.lockdep4j.analyzers.report;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.graph.LockOrderGraph;
import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.rules.AppFrames;
import io.lockdep4j.analyzers.rules.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the graphical and code-scanning formats read from a result, for any rule: the lock-order
 * graph with the edges that close a reported cycle, and the source locations in a finding's stacks.
 * Rules are not special-cased: stacks are found by walking {@link Finding#details()} for lists of
 * frames under keys named {@code stack} or ending in {@code Stack}.
 */
final class ReportData {
    /** {@code pkg.Outer$Inner.method(Outer.java:12)}: class, method, file, line. */
    private static final Pattern FRAME = Pattern.compile("(.+)\\.([^.(]+)\\(([^:)]+)(?::(\\d+))?\\)");

    private ReportData() {}

    /** A source position derived from a stack frame: {@code pkg/Class.java} and a line (0 if unknown). */
    record Location(String path, int line, String frame) {
    }

    /** Every stack in a finding's details, in detail order (innermost frame first in each). */
    static List<List<String>> stacks(Finding f) {
        List<List<String>> out = new ArrayList<>();
        collect(null, f.details(), out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String key, Object value, List<List<String>> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                collect(String.valueOf(e.getKey()), e.getValue(), out);
            }
        } else if (value instanceof List<?> l) {
            boolean stackKey = key != null && (key.equals("stack") || key.endsWith("Stack"));
            if (stackKey && l.stream().allMatch(x -> x instanceof String)) {
                if (!l.isEmpty()) {
                    out.add((List<String>) l);
                }
            } else {
                for (Object x : l) {
                    collect(key, x, out);
                }
            }
        }
    }

    /**
     * The frame of a stack in the user's code, where code scanning shows the problem: the frame a
     * title names ({@link AppFrames#frame}), not a library's blocking call, whose source the user
     * does not have.
     */
    static Optional<Location> location(List<String> stack, AppFrames app) {
        if (stack.isEmpty()) {
            return Optional.empty();
        }
        return parse(app.frame(stack));
    }

    static Optional<Location> parse(String frame) {
        Matcher m = FRAME.matcher(frame);
        if (!m.matches() || m.group(3).equals("Native Method")) {
            return Optional.empty();
        }
        String type = m.group(1);
        int dot = type.lastIndexOf('.');
        String dir = dot < 0 ? "" : type.substring(0, dot).replace('.', '/') + "/";
        int line = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        return Optional.of(new Location(dir + m.group(3), line, frame));
    }

    /** The edges drawn: every edge between two different lock classes, sorted. */
    static List<LockEdge> edges(LockModel model) {
        List<LockEdge> out = new ArrayList<>();
        for (LockEdge e : model.edges()) {
            if (!e.isSelfEdge()) {
                out.add(e);
            }
        }
        out.sort((a, b) -> a.from().equals(b.from()) ? a.to().compareTo(b.to()) : a.from().compareTo(b.from()));
        return out;
    }

    /** The lock classes drawn: those with an edge, sorted. */
    static List<String> nodes(LockModel model) {
        return nodes(edges(model));
    }

    /** The lock classes of {@code edges}, sorted. */
    static List<String> nodes(List<LockEdge> edges) {
        Set<String> n = new TreeSet<>();
        for (LockEdge e : edges) {
            n.add(e.from());
            n.add(e.to());
        }
        return new ArrayList<>(n);
    }

    /**
     * Edges that close a reported finding: consecutive lock classes of a finding's {@code locks}
     * (taken as a cycle) joined by an edge of the model, as {@code from + "\u0000" + to}.
     */
    static Set<String> findingEdges(AnalysisResult result) {
        Set<String> out = new LinkedHashSet<>();
        for (Finding f : result.findings()) {
            List<String> l = f.locks();
            if (l.size() < 2) {
                continue;
            }
            for (int i = 0; i < l.size(); i++) {
                String a = l.get(i);
                String b = l.get((i + 1) % l.size());
                if (result.model().edge(a, b).isPresent()) {
                    out.add(a + "\u0000" + b);
                }
            }
        }
        return out;
    }

    /** Lock classes in a strongly connected component of the blocking graph: on some cycle, reported or not. */
    static Set<String> onAnyCycle(LockModel model) {
        Set<String> out = new TreeSet<>();
        for (Set<String> c : LockOrderGraph.of(model, LockEdge::hasBlockingObservation).nonTrivialComponents()) {
            out.addAll(c);
        }
        return out;
    }

    /**
     * For each of {@code locks}, up to {@code max} distinct stacks where it was acquired (as an
     * edge's target) or held (as its source), in edge order. One pass over the edges for all locks.
     */
    static Map<String, List<List<String>>> acquisitionStacks(LockModel model, Set<String> locks, int max) {
        Map<String, Set<List<String>>> found = new HashMap<>();
        for (LockEdge e : edges(model)) {
            boolean to = locks.contains(e.to());
            boolean from = locks.contains(e.from());
            if (!to && !from) {
                continue;
            }
            Set<List<String>> toStacks = to ? found.computeIfAbsent(e.to(), k -> new LinkedHashSet<>()) : null;
            Set<List<String>> fromStacks = from ? found.computeIfAbsent(e.from(), k -> new LinkedHashSet<>()) : null;
            for (EdgeObservation o : e.observations()) {
                if (to && toStacks.size() < max && !o.acquireStack().isEmpty()) {
                    toStacks.add(o.acquireStack());
                }
                if (from && fromStacks.size() < max) {
                    model.heldStack(o).filter(s -> !s.isEmpty()).ifPresent(fromStacks::add);
                }
            }
        }
        Map<String, List<List<String>>> out = new HashMap<>();
        found.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    /** {@code Outer$Inner.field} for {@code pkg.Outer$Inner.field}: what fits in a graph node. */
    static String shortName(String lockClass) {
        String s = lockClass;
        int paren = s.indexOf('(');
        String head = paren < 0 ? s : s.substring(0, paren);
        int lastDot = head.lastIndexOf('.');
        if (lastDot > 0) {
            int prevDot = head.lastIndexOf('.', lastDot - 1);
            // keep "Class.field" when the last segment looks like a field of a capitalised class
            String cls = head.substring(prevDot + 1, lastDot);
            if (!cls.isEmpty() && Character.isUpperCase(cls.charAt(cls.lastIndexOf('$') + 1))) {
                return s.substring(prevDot + 1);
            }
            return s.substring(lastDot + 1);
        }
        return s;
    }
}
