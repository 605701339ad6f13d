package dev.drover.ui.graph;

import java.util.List;

/**
 * A pipeline's tasks laid out left to right (upstream before downstream), ready to draw as SVG: each node's box and
 * each dependency's path. The same layout serves the pipeline page and, coloured by state, the run page.
 */
public record TaskGraph(double width, double height, List<Node> nodes, List<Edge> edges) {

    /** A task: its box, its type, and whether it is mapped (one instance per item at run time). */
    public record Node(String id, String type, boolean mapped, double x, double y, double w, double h) {
        public double labelX() {
            return x + 10;
        }

        public double labelY() {
            return y + h / 2 + 4;
        }
    }

    /** A dependency as an SVG path from the upstream box to the downstream box. */
    public record Edge(String from, String to, String path) {
    }

    public String viewBox() {
        return "0 0 " + fmt(width) + " " + fmt(height);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
