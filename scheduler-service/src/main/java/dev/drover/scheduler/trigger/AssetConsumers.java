package dev.drover.scheduler.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which pipelines consume an asset: those whose latest revision declares an {@code assets} trigger listing its URI,
 * found in the scheduler's read model like {@link TriggeredPipelines} (a JSONB containment query). May lag the log
 * by the projector's delay.
 */
public final class AssetConsumers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public AssetConsumers(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The ids of the pipelines consuming {@code uri}, sorted.
     *
     * @throws IllegalStateException when the read model cannot be read
     */
    public List<String> of(String uri) {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select p.pipeline_id from pipelines p "
                     + "join pipeline_revisions r on r.pipeline_id = p.pipeline_id and r.revision = p.latest_revision "
                     + "where r.spec -> 'triggers' @> ?::jsonb or r.spec -> 'triggers' @> ?::jsonb "
                     + "order by p.pipeline_id")) {
            s.setString(1, wanted("all", uri));
            s.setString(2, wanted("any", uri));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the scheduler's read model: " + e.getMessage(), e);
        }
        return out;
    }

    private static String wanted(String kind, String uri) {
        ArrayNode triggers = JSON.createArrayNode();
        triggers.addObject().putObject("assets").putArray(kind).add(uri);
        return triggers.toString();
    }
}
