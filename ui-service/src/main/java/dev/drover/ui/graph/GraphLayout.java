package dev.drover.ui.graph;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out a pipeline spec's task graph with Eclipse ELK's layered (Sugiyama) algorithm: layers left to right, few
 * crossings, orthogonal edges. Layouts are kept per pipeline revision (a revision never changes), so a page that
 * refreshes every second lays out once.
 */
@Singleton
public class GraphLayout {
    private static final double NODE_HEIGHT = 30;
    private static final double CHAR_WIDTH = 7.2;
    private static final int KEPT = 500;

    static {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    private final Map<String, TaskGraph> kept = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TaskGraph> eldest) {
                    return size() > KEPT;
                }
            });

    /** The layout of a spec's {@code tasks} (id, type, dependsOn, mapOver), kept under {@code key}. */
    public TaskGraph of(String key, JsonNode spec) {
        return of(key, () -> spec);
    }

    /** The same, reading the spec only when the layout is not kept already. */
    public TaskGraph of(String key, java.util.function.Supplier<JsonNode> spec) {
        TaskGraph known = kept.get(key);
        if (known != null) {
            return known;
        }
        TaskGraph laid = layout(spec.get().path("tasks"));
        kept.put(key, laid);
        return laid;
    }

    static TaskGraph layout(JsonNode tasks) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 14.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(8));
        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        Map<String, String[]> info = new LinkedHashMap<>();
        for (JsonNode t : tasks) {
            String id = t.path("id").asText();
            if (id.isEmpty() || nodes.containsKey(id)) {
                continue;
            }
            String type = t.path("type").asText("");
            boolean mapped = t.has("mapOver");
            ElkNode n = ElkGraphUtil.createNode(root);
            n.setIdentifier(id);
            int chars = Math.max(id.length() + (mapped ? 4 : 0), type.length());
            n.setDimensions(Math.max(80, 24 + chars * CHAR_WIDTH), NODE_HEIGHT);
            nodes.put(id, n);
            info.put(id, new String[]{type, Boolean.toString(mapped)});
        }
        List<String[]> deps = new ArrayList<>();
        for (JsonNode t : tasks) {
            String id = t.path("id").asText();
            for (JsonNode up : t.path("dependsOn")) {
                ElkNode from = nodes.get(up.asText());
                ElkNode to = nodes.get(id);
                if (from != null && to != null) {
                    ElkGraphUtil.createSimpleEdge(from, to);
                    deps.add(new String[]{up.asText(), id});
                }
            }
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
        List<TaskGraph.Node> laidNodes = new ArrayList<>();
        nodes.forEach((id, n) -> laidNodes.add(new TaskGraph.Node(id, info.get(id)[0],
                Boolean.parseBoolean(info.get(id)[1]), n.getX(), n.getY(), n.getWidth(), n.getHeight())));
        List<TaskGraph.Edge> laidEdges = new ArrayList<>();
        int i = 0;
        for (ElkEdge e : root.getContainedEdges()) {
            String[] dep = deps.get(i++);
            laidEdges.add(new TaskGraph.Edge(dep[0], dep[1], path(e)));
        }
        return new TaskGraph(root.getWidth(), root.getHeight(), List.copyOf(laidNodes), List.copyOf(laidEdges));
    }

    private static String path(ElkEdge edge) {
        StringBuilder d = new StringBuilder();
        for (ElkEdgeSection s : edge.getSections()) {
            d.append('M').append(TaskGraph.fmt(s.getStartX())).append(' ').append(TaskGraph.fmt(s.getStartY()));
            for (ElkBendPoint b : s.getBendPoints()) {
                d.append(" L").append(TaskGraph.fmt(b.getX())).append(' ').append(TaskGraph.fmt(b.getY()));
            }
            d.append(" L").append(TaskGraph.fmt(s.getEndX())).append(' ').append(TaskGraph.fmt(s.getEndY()));
        }
        return d.toString();
    }
}
