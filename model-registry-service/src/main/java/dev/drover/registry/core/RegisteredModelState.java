package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.AliasChangeApproved;
import dev.drover.registry.core.ModelEvent.AliasChangeRejected;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.ModelEvent.AliasChanged;
import dev.drover.registry.core.ModelEvent.AliasDeleted;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.ModelEvent.AliasProtected;
import dev.drover.registry.core.ModelEvent.AliasUnprotected;
import dev.drover.registry.core.ModelEvent.ModelCommandRejected;
import dev.drover.registry.core.ModelEvent.ModelCreated;
import dev.drover.registry.core.ModelEvent.ModelDescriptionUpdated;
import dev.drover.registry.core.ModelEvent.ModelTagDeleted;
import dev.drover.registry.core.ModelEvent.ModelTagSet;
import dev.drover.registry.core.ModelEvent.PromotionDeclined;
import dev.drover.registry.core.ModelEvent.RetentionPolicySet;
import dev.drover.registry.core.ModelEvent.VersionDescriptionUpdated;
import dev.drover.registry.core.ModelEvent.VersionRegistered;
import dev.drover.registry.core.ModelEvent.VersionStageTransitioned;
import dev.drover.registry.core.ModelEvent.VersionTagDeleted;
import dev.drover.registry.core.ModelEvent.VersionTagSet;
import dev.drover.registry.core.ModelEvent.VersionsArchived;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One registered model, the fold of its events: versions, aliases with their complete history, protection, pending
 * approvals and the retention policy. A name nobody has created yet has a state too, one that does not
 * {@link #exists()}, so that the decider can tell "create it first" from everything else.
 *
 * <p>{@link #apply} is the only code that changes it — live, after a decision, and during recovery alike — so a
 * restarted registry that replays the log arrives at exactly the state it had. The accessors are read-only views.
 */
public final class RegisteredModelState {
    final String name;
    boolean created;
    String description;
    String createdBy;
    Instant createdAt;
    Instant lastUpdatedAt;
    final Map<String, String> tags = new TreeMap<>();
    final TreeMap<Integer, ModelVersionState> versions = new TreeMap<>();
    final Map<String, Integer> aliases = new TreeMap<>();
    final Set<String> protectedAliases = new TreeSet<>();
    final Map<String, PendingAliasChange> pendingApprovals = new LinkedHashMap<>();
    final List<AliasChanged> aliasHistory = new ArrayList<>();
    /** Per alias, the versions it held before its forward changes, oldest first: what rollbacks walk back through. */
    final Map<String, List<Integer>> rollbackChains = new HashMap<>();
    RetentionPolicy retentionPolicy;

    /** The state of a model nobody has created yet. */
    public RegisteredModelState(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Applies one event. Never fails for a valid log; never causes side effects. */
    public void apply(ModelEvent event) {
        if (!event.modelName().equals(name)) {
            throw new IllegalStateException("event for model " + event.modelName() + " applied to " + name);
        }
        if (event instanceof ModelCommandRejected || event instanceof PromotionDeclined) {
            // logged for the caller and the history; the decisions to come do not depend on them
            return;
        }
        if (event instanceof ModelCreated e) {
            created = true;
            description = e.description();
            tags.putAll(e.tags());
            createdBy = e.by();
            createdAt = e.at();
            lastUpdatedAt = e.at();
            return;
        }
        if (!created) {
            throw new IllegalStateException("event for model " + name + " before it was created: " + event);
        }
        if (event instanceof VersionRegistered e) {
            versions.put(e.version(), new ModelVersionState(e));
            touch(e.at());
        } else if (event instanceof ModelDescriptionUpdated e) {
            description = e.description();
            touch(e.at());
        } else if (event instanceof VersionDescriptionUpdated e) {
            ModelVersionState v = versionOrFail(e.version());
            v.description = e.description();
            v.lastUpdatedAt = e.at();
            touch(e.at());
        } else if (event instanceof ModelTagSet e) {
            tags.put(e.key(), e.value());
            touch(e.at());
        } else if (event instanceof ModelTagDeleted e) {
            tags.remove(e.key());
            touch(e.at());
        } else if (event instanceof VersionTagSet e) {
            ModelVersionState v = versionOrFail(e.version());
            v.tags.put(e.key(), e.value());
            v.lastUpdatedAt = e.at();
            touch(e.at());
        } else if (event instanceof VersionTagDeleted e) {
            ModelVersionState v = versionOrFail(e.version());
            v.tags.remove(e.key());
            v.lastUpdatedAt = e.at();
            touch(e.at());
        } else if (event instanceof VersionStageTransitioned e) {
            ModelVersionState v = versionOrFail(e.version());
            v.stage = e.to();
            v.lastUpdatedAt = e.at();
            touch(e.at());
        } else if (event instanceof VersionsArchived e) {
            for (int n : e.versions()) {
                ModelVersionState v = versionOrFail(n);
                v.stage = ModelStage.ARCHIVED;
                v.lastUpdatedAt = e.at();
            }
            touch(e.at());
        } else if (event instanceof RetentionPolicySet e) {
            retentionPolicy = e.policy();
            touch(e.at());
        } else if (event instanceof AliasProtected e) {
            protectedAliases.add(e.alias());
            touch(e.at());
        } else if (event instanceof AliasUnprotected e) {
            protectedAliases.remove(e.alias());
            touch(e.at());
        } else if (event instanceof AliasChangeRequested e) {
            pendingApprovals.put(e.requestId(), PendingAliasChange.of(e));
            touch(e.at());
        } else if (event instanceof AliasChangeApproved e) {
            pendingApprovals.remove(e.requestId());
            touch(e.at());
        } else if (event instanceof AliasChangeRejected e) {
            pendingApprovals.remove(e.requestId());
            touch(e.at());
        } else if (event instanceof AliasMoved e) {
            List<Integer> chain = rollbackChains.computeIfAbsent(e.alias(), a -> new ArrayList<>());
            if (e.kind() == AliasMoveKind.ROLLBACK) {
                // a rollback consumes the chain down to the version it restored; entries above it equal the version
                // rolled back from, which rollbackTarget skipped
                while (!chain.isEmpty()) {
                    int popped = chain.remove(chain.size() - 1);
                    if (popped == e.version()) {
                        break;
                    }
                }
            } else if (e.previousVersion() != null) {
                chain.add(e.previousVersion());
            }
            aliases.put(e.alias(), e.version());
            aliasHistory.add(e);
            touch(e.at());
        } else if (event instanceof AliasDeleted e) {
            if (e.previousVersion() != null) {
                // so that a rollback can undo the removal
                rollbackChains.computeIfAbsent(e.alias(), a -> new ArrayList<>()).add(e.previousVersion());
            }
            aliases.remove(e.alias());
            aliasHistory.add(e);
            touch(e.at());
        } else {
            throw new IllegalStateException("no applier for " + event.getClass().getSimpleName());
        }
    }

    private void touch(Instant at) {
        lastUpdatedAt = at;
    }

    private ModelVersionState versionOrFail(int version) {
        ModelVersionState v = versions.get(version);
        if (v == null) {
            throw new IllegalStateException("model " + name + " has no version " + version);
        }
        return v;
    }

    public String name() {
        return name;
    }

    /** Whether the model has been created. */
    public boolean exists() {
        return created;
    }

    public String description() {
        return description;
    }

    public Map<String, String> tags() {
        return Collections.unmodifiableMap(tags);
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastUpdatedAt() {
        return lastUpdatedAt;
    }

    /** Every version, archived ones included, in ascending order. */
    public Collection<ModelVersionState> versions() {
        return Collections.unmodifiableCollection(versions.values());
    }

    public Optional<ModelVersionState> version(int version) {
        return Optional.ofNullable(versions.get(version));
    }

    /** The highest version number, 0 before the first version. */
    public int latestVersion() {
        return versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** Current aliases: alias name to version. */
    public Map<String, Integer> aliases() {
        return Collections.unmodifiableMap(aliases);
    }

    public Optional<Integer> aliasVersion(String alias) {
        return Optional.ofNullable(aliases.get(alias));
    }

    /** The version an alias points at. */
    public Optional<ModelVersionState> versionByAlias(String alias) {
        return aliasVersion(alias).map(versions::get);
    }

    /** The version holding {@value ModelCommand#CHAMPION}. */
    public Optional<ModelVersionState> champion() {
        return versionByAlias(ModelCommand.CHAMPION);
    }

    /** The aliases pointing at a version, sorted. */
    public List<String> aliasesOf(int version) {
        return aliases.entrySet().stream().filter(e -> e.getValue() == version).map(Map.Entry::getKey).toList();
    }

    /** Every change of every alias, oldest first. */
    public List<AliasChanged> aliasHistory() {
        return Collections.unmodifiableList(aliasHistory);
    }

    /** Every change of one alias, oldest first: who moved it where, when, why, and from which version. */
    public List<AliasChanged> aliasHistory(String alias) {
        return aliasHistory.stream().filter(c -> c.alias().equals(alias)).toList();
    }

    public Set<String> protectedAliases() {
        return Collections.unmodifiableSet(protectedAliases);
    }

    public boolean isProtected(String alias) {
        return protectedAliases.contains(alias);
    }

    /** Requests waiting for approval, oldest first. */
    public Collection<PendingAliasChange> pendingApprovals() {
        return Collections.unmodifiableCollection(pendingApprovals.values());
    }

    public Optional<PendingAliasChange> pendingApproval(String requestId) {
        return Optional.ofNullable(pendingApprovals.get(requestId));
    }

    /** The request waiting for approval on an alias (at most one per alias). */
    public Optional<PendingAliasChange> pendingApprovalFor(String alias) {
        return pendingApprovals.values().stream().filter(p -> p.alias().equals(alias)).findFirst();
    }

    /**
     * The versions an alias held before its forward changes (moves and removals), oldest first. Each rollback
     * walks one step back along it, so rolling back twice after 1 → 2 → 3 gives 2, then 1.
     */
    public List<Integer> rollbackChain(String alias) {
        return Collections.unmodifiableList(rollbackChains.getOrDefault(alias, List.of()));
    }

    /** The version a rollback of the alias would point it at: the newest earlier holder that is not the current. */
    public Optional<Integer> rollbackTarget(String alias) {
        Integer current = aliases.get(alias);
        List<Integer> chain = rollbackChain(alias);
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!chain.get(i).equals(current)) {
                return Optional.of(chain.get(i));
            }
        }
        return Optional.empty();
    }

    public Optional<RetentionPolicy> retentionPolicy() {
        return Optional.ofNullable(retentionPolicy);
    }
}
