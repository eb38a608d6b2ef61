package io.lockdep4j.analyzers.report;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lock-order graph in Graphviz DOT: one node per lock class (labelled {@code Class.field},
 * full name in the tooltip), one edge per "holding A, acquired B". Edges that close a reported
 * finding are red and bold, lock classes of a finding are filled red; lock classes on a cycle that
 * no rule reported (gated, read-only) are orange. Render with {@code dot -Tsvg graph.dot}.
 */
public final class DotReport implements ReportWriter {
    @Override
    public String name() {
        return "dot";
    }

    @Override
    public String description() {
        return "Graphviz, the graph only";
    }

    @Override
    public void write(AnalysisResult result, ReportOptions options, OutputStream out) throws IOException {
        PrintStream ps = ReportWriter.printStream(out);
        write(result, ps);
        ReportWriter.finish(ps);
    }

    public void write(AnalysisResult result, PrintStream out) {
        LockModel m = result.model();
        Set<String> red = ReportData.findingEdges(result);
        Set<String> onCycle = ReportData.onAnyCycle(m);
        Set<String> inFinding = new java.util.TreeSet<>();
        result.findings().forEach(f -> inFinding.addAll(f.locks()));
        List<LockEdge> edges = ReportData.edges(m); // sorted once: 10^6 edges are a real cost
        List<String> nodes = ReportData.nodes(edges);
        Map<String, String> ids = new HashMap<>();
        out.println("digraph lockdep4j {");
        // what is drawn, always said (not only when it differs, so the file's shape does not depend on the JDK's own locks)
        out.println("  // drawn: " + nodes.size() + " lock classes, " + edges.size() + " edges (same-class nestings and lock"
                + " classes without an edge to another class are not drawn)");
        out.println("  graph [rankdir=LR, label=" + q(header(result)) + ", labelloc=t];");
        out.println("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=Helvetica];");
        out.println("  edge [fontname=Helvetica];");
        for (int i = 0; i < nodes.size(); i++) {
            String n = nodes.get(i);
            String id = "n" + i;
            ids.put(n, id);
            String fill = inFinding.contains(n) ? "#f8d0d0" : onCycle.contains(n) ? "#fde5c8" : "white";
            String color = inFinding.contains(n) ? "red" : "black";
            out.println("  " + id + " [label=" + q(ReportData.shortName(n)) + ", tooltip=" + q(n)
                    + ", fillcolor=" + q(fill) + ", color=" + q(color) + "];");
        }
        for (LockEdge e : edges) {
            boolean cycle = red.contains(e.from() + "\u0000" + e.to());
            boolean trylockOnly = e.blockingObservations().isEmpty();
            StringBuilder attrs = new StringBuilder();
            if (cycle) {
                attrs.append("color=red, penwidth=2.5");
            } else if (onCycle.contains(e.from()) && onCycle.contains(e.to())) {
                attrs.append("color=orange");
            } else {
                attrs.append("color=gray40");
            }
            if (trylockOnly) {
                attrs.append(", style=dashed, label=\"tryLock\"");
            }
            out.println("  " + ids.get(e.from()) + " -> " + ids.get(e.to()) + " [" + attrs + "];");
        }
        out.println("}");
        out.flush();
    }

    /** The graph's title: the model's counts, the same as the text report's header and the summary of every other format. */
    static String header(AnalysisResult result) {
        LockModel m = result.model();
        return "lock-order graph: " + m.lockClasses().size() + " lock classes, " + m.edgeCount() + " edges, "
                + result.findings().size() + " findings";
    }

    /** A DOT double-quoted string. */
    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
