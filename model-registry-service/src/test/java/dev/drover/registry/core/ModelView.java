package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.AliasChanged;
import dev.drover.registry.core.ModelEvent.VersionRegistered;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything observable in a {@link RegisteredModelState} as plain values, so that two states can be compared with
 * {@code equals} (the state classes are mutable and have identity equality on purpose).
 */
record ModelView(String name, boolean exists, String description, String createdBy, Instant createdAt,
                 Instant lastUpdatedAt, Map<String, String> tags, List<VersionView> versions,
                 Map<String, Integer> aliases, Set<String> protectedAliases, List<PendingAliasChange> pending,
                 List<AliasChanged> history, Map<String, List<Integer>> rollbackChains,
                 RetentionPolicy retentionPolicy) {

    record VersionView(VersionRegistered registration, String description, Map<String, String> tags,
                       ModelStage stage, Instant lastUpdatedAt) {
    }

    static ModelView of(RegisteredModelState s) {
        Set<String> aliasNames = new TreeSet<>(s.aliases().keySet());
        s.aliasHistory().forEach(c -> aliasNames.add(c.alias()));
        Map<String, List<Integer>> chains = new TreeMap<>();
        for (String alias : aliasNames) {
            if (!s.rollbackChain(alias).isEmpty()) {
                chains.put(alias, List.copyOf(s.rollbackChain(alias)));
            }
        }
        List<VersionView> versions = s.versions().stream()
                .map(v -> new VersionView(v.registration, v.description(), Map.copyOf(v.tags()), v.stage(), v.lastUpdatedAt()))
                .toList();
        return new ModelView(s.name(), s.exists(), s.description(), s.createdBy(), s.createdAt(),
                s.lastUpdatedAt(), Map.copyOf(s.tags()), versions, Map.copyOf(s.aliases()),
                Set.copyOf(s.protectedAliases()), List.copyOf(s.pendingApprovals()), List.copyOf(s.aliasHistory()),
                chains, s.retentionPolicy().orElse(null));
    }
}
