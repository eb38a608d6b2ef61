package io.lockdep4j.analyzers.report.html;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.elk.alg.layered.LayeredLayoutProvider;
import org.eclipse.elk.alg.layered.options.CycleBreakingStrategy;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.OrderingStrategy;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Places boxes and routes arrows for a directed graph with Eclipse ELK's layered (Sugiyama) layout:
 * layers left to right along the arrows, crossings minimized, edges routed orthogonally between the
 * boxes so that no two boxes overlap and the two arrows of a cycle A → B → A take different routes
 * (ELK reverses one for layering and routes it back around). Pure geometry: what the boxes mean is
 * {@link LockGraphSvg}'s business.
 *
 * <p>The layout provider is called directly. ELK still needs its meta-data service once: creating it
 * registers the property types ELK copies (ElkReflect: "Couldn't clone property ...padding" without
 * it). The service finds its providers with ServiceLoader, which the shaded CLI jar keeps (merged
 * META-INF/services); the layered provider is registered by hand when it was not found that way.
 */
final class LockGraphLayout {
    static {
        LayoutMetaDataService elk = LayoutMetaDataService.getInstance();
        if (elk.getAlgorithmData(LayeredOptions.ALGORITHM_ID) == null) {
            elk.registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        }
    }

    /** Space between boxes of one layer (px). */
    static final double NODE_GAP = 18;

    /** A box to place, in input order (earlier boxes are kept earlier within their layer). */
    record Box(double width, double height) {}

    /** An arrow from box {@code from} to box {@code to}, by index. */
    record Arrow(int from, int to) {}

    /** A placed box: its top-left corner. */
    record Placed(double x, double y, double width, double height) {}

    /** Where everything went: boxes and arrows in input order, each arrow a polyline from source to target. */
    record Result(List<Placed> boxes, List<double[]> routes, double width, double height) {}

    private LockGraphLayout() {}

    /** @param layerGap the space between layers (px), where the arrows between layers run */
    static Result layout(List<Box> boxes, List<Arrow> arrows, double layerGap) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(LayeredOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(LayeredOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, NODE_GAP);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, layerGap);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 14.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, 14.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_EDGE, 12.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE, 14.0);
        root.setProperty(LayeredOptions.PADDING, new ElkPadding(16));
        root.setProperty(LayeredOptions.SEPARATE_CONNECTED_COMPONENTS, true);
        // Input order is priority order (the caller puts the locks of findings first): keep it where ELK can.
        root.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES);
        root.setProperty(LayeredOptions.CYCLE_BREAKING_STRATEGY, CycleBreakingStrategy.GREEDY);
        // Crossing minimization repeats per thoroughness step; past ~100 boxes fewer steps keep it quick.
        root.setProperty(LayeredOptions.THOROUGHNESS, boxes.size() > 100 ? 2 : 7);
        List<ElkNode> nodes = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            ElkNode n = ElkGraphUtil.createNode(root);
            n.setDimensions(b.width(), b.height());
            nodes.add(n);
        }
        List<ElkEdge> edges = new ArrayList<>(arrows.size());
        for (Arrow a : arrows) {
            edges.add(ElkGraphUtil.createSimpleEdge(nodes.get(a.from()), nodes.get(a.to())));
        }
        new LayeredLayoutProvider().layout(root, new BasicProgressMonitor());

        List<Placed> placed = new ArrayList<>(nodes.size());
        for (ElkNode n : nodes) {
            placed.add(new Placed(n.getX(), n.getY(), n.getWidth(), n.getHeight()));
        }
        List<double[]> routes = new ArrayList<>(edges.size());
        for (ElkEdge e : edges) {
            routes.add(route(e));
        }
        return new Result(placed, routes, root.getWidth(), root.getHeight());
    }

    /** The edge's points x0,y0,x1,y1,... (a simple edge between two flat nodes has one section). */
    private static double[] route(ElkEdge e) {
        List<Double> pts = new ArrayList<>();
        for (ElkEdgeSection s : e.getSections()) {
            pts.add(s.getStartX());
            pts.add(s.getStartY());
            for (ElkBendPoint bp : s.getBendPoints()) {
                pts.add(bp.getX());
                pts.add(bp.getY());
            }
            pts.add(s.getEndX());
            pts.add(s.getEndY());
        }
        double[] out = new double[pts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pts.get(i);
        }
        return out;
    }
}
