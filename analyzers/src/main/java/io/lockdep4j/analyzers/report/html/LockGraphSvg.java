package io.lockdep4j.analyzers.report.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The lock-order graph as inline SVG for the HTML report, laid out by {@link LockGraphLayout} (ELK
 * layered) when the report is written: the page stays one self-contained file that shows the graph
 * without script or network.
 *
 * <p>What a reader needs first comes first: the connected parts that hold a finding's lock classes
 * (or an unreported cycle) are laid out on top, their cycle edges thick and red (orange when no rule
 * reported the cycle); lock classes in no finding are drawn dimmed, and parts with no finding at all
 * go below a rule line, dimmed, so JDK and library locks give context without competing.
 */
public final class LockGraphSvg {
    static final double CHAR_WIDTH = 7.4; // 12px monospace advance is 7.2 px (DejaVu Sans Mono); a little more
    static final double NODE_HEIGHT = 26;
    static final double PART_GAP = 34;
    /** Vertical room per arrow at a finding's box, so the arrows of a cycle leave it well apart. */
    static final double PORT_PITCH = 14;

    /** What a lock class is in the report. */
    public enum Role { FINDING, UNREPORTED_CYCLE, CONTEXT }

    /** A lock class: full name (tooltip), the label drawn, and its role. Its index is its {@code data-lock}. */
    public record Node(String name, String label, Role role) {}

    /**
     * An edge between node indexes: {@code finding} when it closes a reported finding, {@code unreported}
     * when it lies on a cycle no rule reported, {@code tryOnly} when only tryLock took it (dashed).
     */
    public record Edge(int from, int to, boolean finding, boolean unreported, boolean tryOnly) {}

    private LockGraphSvg() {}

    /** Appends {@code <svg id="lock-graph">...</svg>} to {@code h}. */
    public static void write(StringBuilder h, List<Node> nodes, List<Edge> edges) {
        int[] part = parts(nodes, edges);
        List<Laid> laid = new ArrayList<>();
        double y = 0;
        double width = 0;
        int contextCount = 0;
        for (int p = 0; p < 2; p++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (part[i] == p) {
                    members.add(i);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            // findings first, then unreported cycles, then the rest; ELK keeps this order within a layer
            members.sort(Comparator.comparingInt(i -> nodes.get(i).role().ordinal()));
            boolean titled = p == 1 && !laid.isEmpty(); // a title line only when it follows the findings' part
            Laid l = lay(nodes, edges, members, titled ? y + PART_GAP : y, p == 1, titled);
            laid.add(l);
            y = l.top() + l.result().height();
            width = Math.max(width, l.result().width());
            if (p == 1) {
                contextCount = members.size();
            }
        }
        width = Math.max(width, 360);
        h.append(String.format(Locale.ROOT, "<svg id=\"lock-graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"lock-order graph\">\n", width, y, width, y));
        h.append("<style>").append(CSS).append("</style>\n<defs>");
        for (String[] mk : new String[][] {{"arrow", "#666"}, {"arrow-red", "#d00"}, {"arrow-orange", "#e08000"}, {"arrow-dim", "#aaa"}}) {
            h.append("<marker id=\"").append(mk[0]).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                    + "markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
                    .append(mk[1]).append("\"/></marker>");
        }
        h.append("</defs>\n");
        for (Laid l : laid) {
            if (l.titled()) {
                h.append(String.format(Locale.ROOT, "<line class=\"part-rule\" x1=\"8\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                                + "<text class=\"part-title\" x=\"12\" y=\"%.1f\">%d lock classes in no finding and on no cycle (JDK, "
                                + "libraries, context)</text>\n", width - 8, l.top() - PART_GAP / 2, l.top() - PART_GAP / 2,
                        l.top() - PART_GAP / 2 + 14, contextCount));
            }
            drawEdges(h, l, edges);
            drawNodes(h, l, nodes);
        }
        h.append("</svg>\n");
    }

    /** 0 for nodes in a connected part that holds a finding or unreported cycle, 1 for the others. */
    static int[] parts(List<Node> nodes, List<Edge> edges) {
        int[] comp = new int[nodes.size()];
        for (int i = 0; i < comp.length; i++) {
            comp[i] = i;
        }
        for (Edge e : edges) {
            comp[find(comp, e.from())] = find(comp, e.to());
        }
        boolean[] focus = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).role() != Role.CONTEXT) {
                focus[find(comp, i)] = true;
            }
        }
        int[] part = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            part[i] = focus[find(comp, i)] ? 0 : 1;
        }
        return part;
    }

    private static int find(int[] comp, int i) {
        while (comp[i] != i) {
            comp[i] = comp[comp[i]];
            i = comp[i];
        }
        return i;
    }

    /** One part laid out: its members (node indexes, in layout order), where it starts, ELK's result. */
    private record Laid(List<Integer> members, double top, boolean context, boolean titled, LockGraphLayout.Result result,
                        List<Integer> edgeIndexes) {}

    private static Laid lay(List<Node> nodes, List<Edge> edges, List<Integer> members, double top, boolean context, boolean titled) {
        int[] slot = new int[nodes.size()];
        Arrays.fill(slot, -1);
        int[] degree = new int[nodes.size()];
        for (Edge e : edges) {
            degree[e.from()]++;
            degree[e.to()]++;
        }
        List<LockGraphLayout.Box> boxes = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            int i = members.get(k);
            slot[i] = k;
            // ELK spreads a box's arrows over its side: a finding's box is tall enough to keep them apart
            double height = nodes.get(i).role() == Role.CONTEXT ? NODE_HEIGHT : Math.max(NODE_HEIGHT + 8, PORT_PITCH * (degree[i] + 1));
            boxes.add(new LockGraphLayout.Box(labelWidth(nodes.get(i).label()), height));
        }
        List<LockGraphLayout.Arrow> arrows = new ArrayList<>();
        List<Integer> edgeIndexes = new ArrayList<>();
        for (int j = 0; j < edges.size(); j++) {
            Edge e = edges.get(j);
            if (slot[e.from()] >= 0 && slot[e.to()] >= 0 && e.from() != e.to()) {
                arrows.add(new LockGraphLayout.Arrow(slot[e.from()], slot[e.to()]));
                edgeIndexes.add(j);
            }
        }
        return new Laid(members, top, context, titled, LockGraphLayout.layout(boxes, arrows, context ? 56 : 96), edgeIndexes);
    }

    static double labelWidth(String label) {
        return Math.ceil(label.length() * CHAR_WIDTH + 20);
    }

    private static void drawEdges(StringBuilder h, Laid l, List<Edge> edges) {
        // plain edges first, so the cycle's red edges are drawn over them
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < l.edgeIndexes().size(); k++) {
                Edge e = edges.get(l.edgeIndexes().get(k));
                boolean strong = e.finding() || e.unreported();
                if (strong != (pass == 1)) {
                    continue;
                }
                String cls = e.finding() ? "edge cycle" : e.unreported() ? "edge unreported" : l.context() ? "edge dim" : "edge";
                String marker = e.finding() ? "arrow-red" : e.unreported() ? "arrow-orange" : l.context() ? "arrow-dim" : "arrow";
                double[] p = l.result().routes().get(k);
                StringBuilder d = new StringBuilder();
                for (int i = 0; i < p.length; i += 2) {
                    d.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", p[i], p[i + 1] + l.top()));
                }
                h.append("<path class=\"").append(cls).append("\" d=\"").append(d).append("\" marker-end=\"url(#").append(marker)
                        .append(")\"").append(e.tryOnly() ? " stroke-dasharray=\"5,4\"" : "").append(" data-from=\"").append(e.from())
                        .append("\" data-to=\"").append(e.to()).append("\"/>\n");
            }
        }
    }

    private static void drawNodes(StringBuilder h, Laid l, List<Node> nodes) {
        for (int k = 0; k < l.members().size(); k++) {
            int i = l.members().get(k);
            Node n = nodes.get(i);
            LockGraphLayout.Placed b = l.result().boxes().get(k);
            String cls = switch (n.role()) {
                case FINDING -> "node in-finding";
                case UNREPORTED_CYCLE -> "node unreported";
                case CONTEXT -> "node context";
            };
            double y = b.y() + l.top();
            h.append(String.format(Locale.ROOT, "<g class=\"%s\" data-lock=\"%d\" tabindex=\"0\"><title>%s</title>"
                            + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text></g>\n",
                    cls, i, esc(n.name()), b.x(), y, b.width(), b.height(), b.x() + b.width() / 2, y + b.height() / 2 + 4,
                    esc(n.label())));
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static final String CSS = """
            #lock-graph .edge { fill: none; stroke: #666; stroke-width: 1.3; }
            #lock-graph .edge.dim { stroke: #bbb; }
            #lock-graph .edge.cycle { stroke: #d00; stroke-width: 3.5; }
            #lock-graph .edge.unreported { stroke: #e08000; stroke-width: 2.5; }
            #lock-graph .node { cursor: pointer; }
            #lock-graph .node rect { fill: white; stroke: #333; stroke-width: 1.2; }
            #lock-graph .node text { font: 12px monospace; fill: #111; pointer-events: none; }
            #lock-graph .node.in-finding rect { fill: #fbdcdc; stroke: #d00; stroke-width: 2.5; }
            #lock-graph .node.in-finding text { font-weight: bold; }
            #lock-graph .node.unreported rect { fill: #fde9cf; stroke: #e08000; stroke-width: 2; }
            #lock-graph .node.context rect { fill: #f6f6f6; stroke: #bbb; }
            #lock-graph .node.context text { fill: #777; }
            #lock-graph .node.selected rect { stroke: #06c; stroke-width: 3; }
            #lock-graph .part-rule { stroke: #ddd; stroke-dasharray: 4,4; }
            #lock-graph .part-title { font: 12px sans-serif; fill: #888; }
            """;
}
