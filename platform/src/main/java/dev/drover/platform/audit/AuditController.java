package dev.drover.platform.audit;

import dev.drover.platform.input.RequestRules;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/admin/audit}: who did what, newest first, from every service in this process (the standalone:
 * all of them) — accounts, roles, tokens and secrets from the identity events; pipelines, runs, clears, marks,
 * pauses, backfills and pools from the scheduler; models, versions, aliases, approvals from the registry; monitoring
 * policies from the monitor. Each entry names the authenticated principal its service recorded.
 */
@Controller("/api/v1/admin/audit")
@Tag(name = "security")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private final List<AuditSource> sources;

    public AuditController(List<AuditSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @RequiresPermission(Permission.ADMIN)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAudit", summary = "Who did what, newest first, across this process's services")
    List<Map<String, Object>> list(@Parameter(description = "only this principal, exactly as recorded")
                                   @Nullable @QueryValue String by,
                                   @Parameter(description = "ISO-8601 instant; default: everything")
                                   @Nullable @QueryValue String since,
                                   @Parameter(description = "1 to 1000, default 100") @Nullable @QueryValue Integer limit) {
        String principal = by == null || by.isBlank() ? null : RequestRules.name("by", by, 200);
        Instant from = since(since);
        int n = RequestRules.limit(limit, 100, 1000);
        List<AuditEntry> all = new ArrayList<>();
        for (AuditSource s : sources) {
            all.addAll(s.entries(principal, from, n));
        }
        return all.stream().sorted(Comparator.comparing(AuditEntry::at).reversed()).limit(n).map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("by", e.by());
            m.put("service", e.service());
            m.put("action", e.action());
            m.put("subject", e.subject());
            return m;
        }).toList();
    }

    private static Instant since(String since) {
        if (since == null || since.isBlank()) {
            return Instant.EPOCH;
        }
        Instant at;
        try {
            at = Instant.parse(since.strip());
        } catch (DateTimeParseException e) {
            throw RequestRules.invalid("since", "since is not an ISO-8601 instant; send e.g. 2026-12-07T00:00:00Z");
        }
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
            throw RequestRules.invalid("since", "since must lie between 1970 and 9999");
        }
        return at;
    }
}
