package dev.drover.ui.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The task graph's layout: upstream left of downstream, no overlapping boxes, one path per dependency. */
class GraphLayoutTest {

    private static JsonNode spec(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void layersRunLeftToRightAndBoxesDoNotOverlap() throws Exception {
        JsonNode spec = spec("""
                {"tasks": [
                  {"id": "ingest", "type": "shell"},
                  {"id": "validate", "type": "shell", "dependsOn": ["ingest"]},
                  {"id": "featurize", "type": "shell", "dependsOn": ["ingest"]},
                  {"id": "train", "type": "shell", "dependsOn": ["validate", "featurize"], "mapOver": "[1,2]"},
                  {"id": "register", "type": "register_model", "dependsOn": ["train"]}
                ]}""");
        TaskGraph g = GraphLayout.layout(spec.path("tasks"));
        Map<String, TaskGraph.Node> nodes = new HashMap<>();
        g.nodes().forEach(n -> nodes.put(n.id(), n));
        assertThat(nodes).hasSize(5);
        assertThat(g.edges()).hasSize(5);
        for (TaskGraph.Edge e : g.edges()) {
            TaskGraph.Node from = nodes.get(e.from());
            TaskGraph.Node to = nodes.get(e.to());
            assertThat(from.x() + from.w()).as(e.from() + " ends left of " + e.to()).isLessThan(to.x());
            assertThat(e.path()).startsWith("M");
        }
        for (TaskGraph.Node a : g.nodes()) {
            for (TaskGraph.Node b : g.nodes()) {
                if (a != b) {
                    boolean apart = a.x() + a.w() <= b.x() || b.x() + b.w() <= a.x()
                            || a.y() + a.h() <= b.y() || b.y() + b.h() <= a.y();
                    assertThat(apart).as(a.id() + " and " + b.id() + " do not overlap").isTrue();
                }
            }
        }
        assertThat(nodes.get("train").mapped()).isTrue();
        assertThat(g.width()).isGreaterThan(nodes.get("register").x());
    }

    @Test
    void aLayoutIsKeptPerKeyAndTwoHundredTasksLayOut() throws Exception {
        StringBuilder tasks = new StringBuilder("{\"tasks\": [");
        for (int i = 0; i < 200; i++) {
            tasks.append(i == 0 ? "" : ",").append("{\"id\": \"t").append(i).append("\", \"type\": \"noop\"")
                    .append(i == 0 ? "" : ", \"dependsOn\": [\"t" + (i - 1) / 2 + "\"]").append('}');
        }
        JsonNode spec = spec(tasks + "]}");
        GraphLayout layout = new GraphLayout();
        TaskGraph first = layout.of("p@1", spec);
        assertThat(first.nodes()).hasSize(200);
        assertThat(layout.of("p@1", () -> {
            throw new AssertionError("kept layouts are not laid out again");
        })).isSameAs(first);
    }
}
