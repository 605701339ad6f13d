package dev.drover.scheduler.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.PipelineSpecs;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which pipelines a trigger starts, read from the scheduler's read model: the latest revision of every pipeline
 * whose stored spec declares the trigger. The read model holds every revision and survives restarts, so the
 * listener keeps no map of its own; it may lag the log by the projector's delay (see docs/pipelines.md).
 */
public final class TriggeredPipelines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public TriggeredPipelines(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The latest revisions that declare a drift trigger for the model, by pipeline id.
     *
     * @throws IllegalStateException when the read model cannot be read
     */
    public List<PipelineSpec> triggeredByDriftOf(String model) {
        ArrayNode wanted = JSON.createArrayNode();
        wanted.addObject().putObject("drift").put("model", model);
        List<PipelineSpec> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select r.spec::text from pipelines p "
                     + "join pipeline_revisions r on r.pipeline_id = p.pipeline_id and r.revision = p.latest_revision "
                     + "where r.spec -> 'triggers' @> ?::jsonb order by p.pipeline_id")) {
            s.setString(1, wanted.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    PipelineSpec spec = PipelineSpecs.fromJson(rs.getString(1));
                    if (spec.triggeredByDriftOf(model)) {
                        out.add(spec);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the scheduler's read model: " + e.getMessage(), e);
        }
        return out;
    }
}
