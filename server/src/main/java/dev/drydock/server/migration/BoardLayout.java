package dev.drydock.server.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the board draws each task of a plan: one column per depth (the longest dependency chain before
 * it), tasks stacked in plan order within a column, and an edge from each dependency to its dependent.
 * Pure, for the portal's server-rendered SVG.
 */
public final class BoardLayout {
    public static final int WIDTH = 190;
    public static final int HEIGHT = 64;
    private static final int GAP_X = 60;
    private static final int GAP_Y = 22;
    private static final int MARGIN = 10;

    private BoardLayout() {}

    /** A task's box. */
    public record Box(MigrationView.Task task, int x, int y) {
        public int centerY() {
            return y + HEIGHT / 2;
        }
    }

    /** An arrow from a dependency's right edge to its dependent's left edge. */
    public record Edge(String from, String to, int x1, int y1, int x2, int y2) {}

    /** The drawing: boxes, edges and the size of the picture. */
    public record Layout(List<Box> boxes, List<Edge> edges, int width, int height) {}

    public static Layout of(List<MigrationView.Task> tasks) {
        Map<String, MigrationView.Task> byId = new HashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        Map<String, Integer> depth = new HashMap<>();
        for (MigrationView.Task t : tasks) {
            depth(t.id(), byId, depth, 0);
        }
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, Box> boxes = new java.util.LinkedHashMap<>();
        int width = 0;
        int height = 0;
        for (MigrationView.Task t : tasks) {
            int column = depth.getOrDefault(t.id(), 0);
            int row = rows.merge(column, 1, Integer::sum) - 1;
            Box b = new Box(t, MARGIN + column * (WIDTH + GAP_X), MARGIN + row * (HEIGHT + GAP_Y));
            boxes.put(t.id(), b);
            width = Math.max(width, b.x() + WIDTH + MARGIN);
            height = Math.max(height, b.y() + HEIGHT + MARGIN);
        }
        List<Edge> edges = new ArrayList<>();
        for (Box b : boxes.values()) {
            for (String dep : b.task().dependsOn()) {
                Box from = boxes.get(dep);
                if (from != null) {
                    edges.add(new Edge(dep, b.task().id(), from.x() + WIDTH, from.centerY(), b.x(), b.centerY()));
                }
            }
        }
        return new Layout(List.copyOf(boxes.values()), List.copyOf(edges), width, height);
    }

    /** The longest chain of dependencies before a task (the plan is acyclic; {@code guard} stops a bad one). */
    private static int depth(String id, Map<String, MigrationView.Task> byId, Map<String, Integer> memo, int guard) {
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        MigrationView.Task t = byId.get(id);
        int d = 0;
        if (t != null && guard < byId.size()) {
            for (String dep : t.dependsOn()) {
                d = Math.max(d, depth(dep, byId, memo, guard + 1) + 1);
            }
        }
        memo.put(id, d);
        return d;
    }
}
