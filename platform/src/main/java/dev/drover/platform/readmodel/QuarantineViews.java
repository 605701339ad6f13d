package dev.drover.platform.readmodel;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.TextRules;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST answers about a read model's quarantine, the same in every service: the list, and replaying one record
 * (or all of them) after a fix. Each service's admin controller mounts them under its own path.
 */
public final class QuarantineViews {
    private QuarantineViews() {
    }

    /** Which quarantined record to replay; all of them when no position is given. */
    @Serdeable
    public record ReplayRequest(@Nullable String topic, @Nullable Integer partition, @Nullable Long offset) {
    }

    /** {@code {"readModel", "count", "items": [...]}}: each item's position, error, tries, when, key and size. */
    public static Map<String, Object> list(TableProjector<?> projector) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (TableProjector.Quarantined q : projector.quarantine()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("topic", q.position().topic());
            item.put("partition", q.position().partition());
            item.put("offset", q.position().offset());
            item.put("key", q.key() == null ? null : printable(q.key()));
            item.put("valueBytes", q.value() == null ? 0 : q.value().length);
            item.put("error", q.error());
            item.put("tries", q.tries());
            item.put("quarantinedAt", q.quarantinedAt().toString());
            items.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("readModel", projector.name());
        out.put("count", items.size());
        out.put("items", items);
        return out;
    }

    /**
     * Replays one quarantined record, or every one when the request names none: {@code {"replayed": [...],
     * "stillQuarantined": [...]}}, each with its position (and error).
     *
     * @throws ApiException 404 {@code unknown_quarantined_record} for a position that is not quarantined, 400 for
     *                      half a position
     */
    public static Map<String, Object> replay(TableProjector<?> projector, @Nullable ReplayRequest request) {
        List<TableProjector.Position> targets = new ArrayList<>();
        if (request == null || (request.topic() == null && request.partition() == null && request.offset() == null)) {
            projector.quarantine().forEach(q -> targets.add(q.position()));
        } else if (request.topic() == null || request.partition() == null || request.offset() == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_position",
                    "a replay names a record by topic, partition and offset together", List.of(),
                    "send all three (as the quarantine list shows them), or an empty body to replay every record"));
        } else {
            targets.add(new TableProjector.Position(request.topic(), request.partition(), request.offset()));
        }
        List<Map<String, Object>> replayed = new ArrayList<>();
        List<Map<String, Object>> still = new ArrayList<>();
        for (TableProjector.Position at : targets) {
            Optional<TableProjector.Replay> r = projector.replay(at);
            if (r.isEmpty()) {
                if (targets.size() == 1) {
                    throw ApiException.of(HttpStatus.NOT_FOUND, "unknown_quarantined_record", "no record of "
                            + TextRules.quote(at.topic()) + " partition " + at.partition() + " offset "
                            + at.offset() + " is quarantined in the " + projector.name() + " read model",
                            "list the quarantine (GET on the same path without /replay) and use a position from it");
                }
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("topic", at.topic());
            one.put("partition", at.partition());
            one.put("offset", at.offset());
            if (r.get().applied()) {
                replayed.add(one);
            } else {
                one.put("error", r.get().error());
                still.add(one);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replayed", replayed);
        out.put("stillQuarantined", still);
        return out;
    }

    private static String printable(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return TextRules.freeText(s).isEmpty() ? s : TextRules.quote(s);
    }
}
