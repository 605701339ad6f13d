package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model as the read model holds it: what {@code GET /api/v1/models/{name}} answers.
 *
 * @param aliases          every alias of the model and the version it points at
 * @param protectedAliases the aliases whose moves need a second principal's approval, by name
 * @param retention        the retention policy, if one is set
 */
@Serdeable
public record ModelView(String name, String description, Map<String, String> tags, Instant createdAt,
                        String createdBy, Instant updatedAt, int latestVersion, Map<String, Integer> aliases,
                        List<String> protectedAliases, Retention retention) {

    /**
     * A model's retention policy.
     *
     * @param keepNewerThan an ISO-8601 duration such as {@code P30D}; null when there is no such rule
     */
    @Serdeable
    public record Retention(int keepLastVersions, String keepNewerThan) {
    }
}
