package dev.drover.registry.core;

import dev.drover.registry.core.ModelCommand.AliasCommand;
import dev.drover.registry.core.ModelCommand.ApplyRetention;
import dev.drover.registry.core.ModelCommand.ApproveAliasChange;
import dev.drover.registry.core.ModelCommand.CreateModel;
import dev.drover.registry.core.ModelCommand.DeleteAlias;
import dev.drover.registry.core.ModelCommand.DeleteModelTag;
import dev.drover.registry.core.ModelCommand.DeleteVersionTag;
import dev.drover.registry.core.ModelCommand.PromoteIfBetter;
import dev.drover.registry.core.ModelCommand.ProtectAlias;
import dev.drover.registry.core.ModelCommand.RegisterVersion;
import dev.drover.registry.core.ModelCommand.RejectAliasChange;
import dev.drover.registry.core.ModelCommand.RollbackAlias;
import dev.drover.registry.core.ModelCommand.SetAlias;
import dev.drover.registry.core.ModelCommand.SetModelTag;
import dev.drover.registry.core.ModelCommand.SetRetentionPolicy;
import dev.drover.registry.core.ModelCommand.SetVersionTag;
import dev.drover.registry.core.ModelCommand.TransitionStage;
import dev.drover.registry.core.ModelCommand.UnprotectAlias;
import dev.drover.registry.core.ModelCommand.UpdateModelDescription;
import dev.drover.registry.core.ModelCommand.UpdateVersionDescription;
import dev.drover.registry.core.ModelEvent.AliasChangeApproved;
import dev.drover.registry.core.ModelEvent.AliasChangeRejected;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a command means for one registered model: {@code decide(state, command, now) → events | rejection}.
 *
 * <p>Pure: it only reads {@code state} and uses no clock but {@code now}, the moment the registry took the command.
 * Version numbers come from the state ({@code latest + 1}); since the loop applies each decision before it decides
 * the next command of the same model, registrations that raced each other get distinct, consecutive numbers.
 */
public final class ModelDecider {

    /** Decides one command against the state of the model it names. */
    public Decision<ModelEvent> decide(RegisteredModelState state, ModelCommand command, Instant now) {
        if (!state.name().equals(command.modelName())) {
            throw new IllegalArgumentException("command for model " + command.modelName() + " decided against "
                    + state.name());
        }
        if (command instanceof CreateModel c) {
            return create(state, c, now);
        } else if (command instanceof RegisterVersion c) {
            return registerVersion(state, c, now);
        }
        if (!state.exists()) {
            return reject(command, RejectionCode.MODEL_NOT_FOUND, "registered model '" + command.modelName()
                    + "' does not exist; create it first");
        }
        if (command instanceof AliasCommand a) {
            Optional<String> problem = NamingRules.alias(a.alias());
            if (problem.isPresent()) {
                return reject(command, RejectionCode.INVALID_ALIAS, problem.get());
            }
        }
        if (command instanceof SetAlias c) {
            return setAlias(state, c, now);
        } else if (command instanceof DeleteAlias c) {
            return deleteAlias(state, c, now);
        } else if (command instanceof ProtectAlias c) {
            return protect(state, c, now);
        } else if (command instanceof UnprotectAlias c) {
            return unprotect(state, c, now);
        } else if (command instanceof ApproveAliasChange c) {
            return approve(state, c, now);
        } else if (command instanceof RejectAliasChange c) {
            return rejectChange(state, c, now);
        } else if (command instanceof RollbackAlias c) {
            return rollback(state, c, now);
        } else if (command instanceof UpdateModelDescription c) {
            return updateModelDescription(state, c, now);
        } else if (command instanceof UpdateVersionDescription c) {
            return updateVersionDescription(state, c, now);
        } else if (command instanceof SetModelTag c) {
            return setModelTag(state, c, now);
        } else if (command instanceof DeleteModelTag c) {
            return deleteModelTag(state, c, now);
        } else if (command instanceof SetVersionTag c) {
            return setVersionTag(state, c, now);
        } else if (command instanceof DeleteVersionTag c) {
            return deleteVersionTag(state, c, now);
        } else if (command instanceof TransitionStage c) {
            return transition(state, c, now);
        } else if (command instanceof PromoteIfBetter c) {
            return promote(state, c, now);
        } else if (command instanceof SetRetentionPolicy c) {
            return setRetention(state, c, now);
        } else if (command instanceof ApplyRetention c) {
            return applyRetention(state, c, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getSimpleName());
    }

    // ---- the model and its versions

    private Decision<ModelEvent> create(RegisteredModelState state, CreateModel c, Instant now) {
        if (state.exists()) {
            return reject(c, RejectionCode.MODEL_EXISTS, "registered model '" + c.modelName() + "' already exists "
                    + "(created by " + state.createdBy() + " at " + state.createdAt() + "); choose another name, "
                    + "or register a new version of it");
        }
        Optional<String> nameProblem = NamingRules.modelName(c.modelName());
        if (nameProblem.isPresent()) {
            return reject(c, RejectionCode.INVALID_NAME, nameProblem.get());
        }
        List<String> problems = NamingRules.tags("model tag", c.tags());
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        return Decision.of(List.of(new ModelCreated(c.modelName(), c.description(), c.tags(), c.requestedBy(), now)));
    }

    private Decision<ModelEvent> registerVersion(RegisteredModelState state, RegisterVersion c, Instant now) {
        if (!state.exists()) {
            if (!c.createModelIfMissing()) {
                return reject(c, RejectionCode.MODEL_NOT_FOUND, "registered model '" + c.modelName()
                        + "' does not exist; create it first, or register with createModelIfMissing");
            }
            Optional<String> nameProblem = NamingRules.modelName(c.modelName());
            if (nameProblem.isPresent()) {
                return reject(c, RejectionCode.INVALID_NAME, nameProblem.get());
            }
        }
        List<String> problems = versionProblems(c);
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        List<ModelEvent> events = new ArrayList<>();
        if (!state.exists()) {
            events.add(new ModelCreated(c.modelName(), null, Map.of(), c.requestedBy(), now));
        }
        events.add(new VersionRegistered(c.modelName(), state.latestVersion() + 1, c.artifactLocation(),
                c.description(), c.params(), c.metrics(), c.lineage(), c.tags(), c.requestedBy(), now));
        return Decision.of(events);
    }

    /** Every problem of a registration at once, so that a task author fixes them in one go. */
    private static List<String> versionProblems(RegisterVersion c) {
        List<String> out = new ArrayList<>();
        if (c.artifactLocation() == null || c.artifactLocation().isBlank()) {
            out.add("artifactLocation is required: where the model's files are (e.g. s3://bucket/churn/model)");
        }
        c.params().forEach((k, v) -> {
            NamingRules.key("parameter", k).ifPresent(out::add);
            if (v == null) {
                out.add("parameter '" + k + "' needs a value");
            } else if (v.length() > NamingRules.MAX_PARAM_VALUE_LENGTH) {
                out.add("parameter '" + k + "' has a value of " + v.length() + " characters; at most "
                        + NamingRules.MAX_PARAM_VALUE_LENGTH + " are allowed");
            }
        });
        c.metrics().forEach((k, v) -> {
            NamingRules.key("metric", k).ifPresent(out::add);
            if (v == null || !Double.isFinite(v)) {
                // a NaN or infinite metric would make every later comparison on it meaningless
                out.add("metric '" + k + "' must be a finite number, not " + v);
            }
        });
        out.addAll(NamingRules.tags("version tag", c.tags()));
        FeatureSetRef fs = c.lineage().featureSet();
        if (fs != null) {
            NamingRules.featureSetName(fs.name()).ifPresent(p -> out.add("lineage.featureSet: " + p));
            if (fs.version() < 1) {
                out.add("lineage.featureSet: feature-set versions start at 1, not " + fs.version());
            }
        }
        return out;
    }

    private Decision<ModelEvent> updateModelDescription(RegisteredModelState state, UpdateModelDescription c,
                                                        Instant now) {
        if (Objects.equals(c.description(), state.description())) {
            return reject(c, RejectionCode.UNCHANGED, "model '" + c.modelName() + "' already has this description");
        }
        return Decision.of(List.of(new ModelDescriptionUpdated(c.modelName(), c.description(), c.requestedBy(),
                now)));
    }

    private Decision<ModelEvent> updateVersionDescription(RegisteredModelState state, UpdateVersionDescription c,
                                                          Instant now) {
        Optional<ModelVersionState> v = state.version(c.version());
        if (v.isEmpty()) {
            return versionNotFound(state, c, c.version());
        }
        if (Objects.equals(c.description(), v.get().description())) {
            return reject(c, RejectionCode.UNCHANGED, "version " + c.version() + " already has this description");
        }
        return Decision.of(List.of(new VersionDescriptionUpdated(c.modelName(), c.version(), c.description(),
                c.requestedBy(), now)));
    }

    private Decision<ModelEvent> setModelTag(RegisteredModelState state, SetModelTag c, Instant now) {
        Optional<String> problem = NamingRules.tag("model tag", c.key(), c.value());
        if (problem.isPresent()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, problem.get());
        }
        if (c.value().equals(state.tags().get(c.key()))) {
            return reject(c, RejectionCode.UNCHANGED, "model tag '" + c.key() + "' already has this value");
        }
        return Decision.of(List.of(new ModelTagSet(c.modelName(), c.key(), c.value(), c.requestedBy(), now)));
    }

    private Decision<ModelEvent> deleteModelTag(RegisteredModelState state, DeleteModelTag c, Instant now) {
        Optional<String> problem = NamingRules.key("model tag", c.key());
        if (problem.isPresent()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, problem.get());
        }
        if (!state.tags().containsKey(c.key())) {
            return reject(c, RejectionCode.UNCHANGED, "model '" + c.modelName() + "' has no tag '" + c.key()
                    + "'; nothing to delete");
        }
        return Decision.of(List.of(new ModelTagDeleted(c.modelName(), c.key(), c.requestedBy(), now)));
    }

    private Decision<ModelEvent> setVersionTag(RegisteredModelState state, SetVersionTag c, Instant now) {
        Optional<ModelVersionState> v = state.version(c.version());
        if (v.isEmpty()) {
            return versionNotFound(state, c, c.version());
        }
        Optional<String> problem = NamingRules.tag("version tag", c.key(), c.value());
        if (problem.isPresent()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, problem.get());
        }
        if (c.value().equals(v.get().tags().get(c.key()))) {
            return reject(c, RejectionCode.UNCHANGED, "tag '" + c.key() + "' of version " + c.version()
                    + " already has this value");
        }
        return Decision.of(List.of(new VersionTagSet(c.modelName(), c.version(), c.key(), c.value(),
                c.requestedBy(), now)));
    }

    private Decision<ModelEvent> deleteVersionTag(RegisteredModelState state, DeleteVersionTag c, Instant now) {
        Optional<ModelVersionState> v = state.version(c.version());
        if (v.isEmpty()) {
            return versionNotFound(state, c, c.version());
        }
        Optional<String> problem = NamingRules.key("version tag", c.key());
        if (problem.isPresent()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, problem.get());
        }
        if (!v.get().tags().containsKey(c.key())) {
            return reject(c, RejectionCode.UNCHANGED, "version " + c.version() + " has no tag '" + c.key()
                    + "'; nothing to delete");
        }
        return Decision.of(List.of(new VersionTagDeleted(c.modelName(), c.version(), c.key(), c.requestedBy(),
                now)));
    }

    private Decision<ModelEvent> transition(RegisteredModelState state, TransitionStage c, Instant now) {
        Optional<ModelVersionState> v = state.version(c.version());
        if (v.isEmpty()) {
            return versionNotFound(state, c, c.version());
        }
        if (c.stage() == null) {
            return reject(c, RejectionCode.INVALID_ARGUMENT,
                    "stage is required: one of None, Staging, Production, Archived");
        }
        if (c.archiveExistingVersions() && !c.stage().archivesExisting()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "archive_existing_versions can only be used when moving "
                    + "to Staging or Production, not " + c.stage().mlflowName());
        }
        List<ModelEvent> events = new ArrayList<>();
        if (v.get().stage() != c.stage()) {
            events.add(new VersionStageTransitioned(c.modelName(), c.version(), v.get().stage(), c.stage(),
                    c.requestedBy(), now));
        }
        if (c.archiveExistingVersions()) {
            List<Integer> others = state.versions().stream()
                    .filter(o -> o.version() != c.version() && o.stage() == c.stage())
                    .map(ModelVersionState::version).toList();
            if (!others.isEmpty()) {
                events.add(new VersionsArchived(c.modelName(), others, "archive_existing_versions: version "
                        + c.version() + " moved to " + c.stage().mlflowName(), c.requestedBy(), now));
            }
        }
        if (events.isEmpty()) {
            return reject(c, RejectionCode.UNCHANGED, "version " + c.version() + " is already in stage "
                    + c.stage().mlflowName());
        }
        return Decision.of(events);
    }

    // ---- aliases

    private Decision<ModelEvent> setAlias(RegisteredModelState state, SetAlias c, Instant now) {
        if (state.version(c.version()).isEmpty()) {
            return versionNotFound(state, c, c.version());
        }
        Integer current = state.aliasVersion(c.alias()).orElse(null);
        if (Objects.equals(current, c.version())) {
            return reject(c, RejectionCode.UNCHANGED, "alias '" + c.alias() + "' already points at version "
                    + c.version());
        }
        return move(state, c, c.alias(), current, c.version(), AliasMoveKind.SET, reasonOf(c.reason()), null, now);
    }

    private Decision<ModelEvent> deleteAlias(RegisteredModelState state, DeleteAlias c, Instant now) {
        Optional<Integer> current = state.aliasVersion(c.alias());
        if (current.isEmpty()) {
            return reject(c, RejectionCode.UNCHANGED, "alias '" + c.alias() + "' is not set; nothing to delete");
        }
        if (state.isProtected(c.alias())) {
            return reject(c, RejectionCode.ALIAS_PROTECTED, "alias '" + c.alias() + "' is protected and cannot be "
                    + "deleted; unprotect it first");
        }
        return Decision.of(List.of(new AliasDeleted(c.modelName(), c.alias(), current.get(),
                reasonOf(c.reason()), c.requestedBy(), now)));
    }

    private Decision<ModelEvent> protect(RegisteredModelState state, ProtectAlias c, Instant now) {
        if (state.isProtected(c.alias())) {
            return reject(c, RejectionCode.UNCHANGED, "alias '" + c.alias() + "' is already protected");
        }
        return Decision.of(List.of(new AliasProtected(c.modelName(), c.alias(), reasonOf(c.reason()),
                c.requestedBy(), now)));
    }

    private Decision<ModelEvent> unprotect(RegisteredModelState state, UnprotectAlias c, Instant now) {
        if (!state.isProtected(c.alias())) {
            return reject(c, RejectionCode.UNCHANGED, "alias '" + c.alias() + "' is not protected");
        }
        return Decision.of(List.of(new AliasUnprotected(c.modelName(), c.alias(), reasonOf(c.reason()),
                c.requestedBy(), now)));
    }

    private Decision<ModelEvent> rollback(RegisteredModelState state, RollbackAlias c, Instant now) {
        Integer current = state.aliasVersion(c.alias()).orElse(null);
        Optional<Integer> target = state.rollbackTarget(c.alias());
        if (target.isEmpty()) {
            return reject(c, RejectionCode.NO_ALIAS_HISTORY, current == null
                    ? "alias '" + c.alias() + "' has never pointed at a version; there is nothing to roll back to"
                    : "alias '" + c.alias() + "' points at version " + current + " and has no earlier version to "
                    + "return to; point it at a version explicitly instead");
        }
        String what = current == null
                ? "restored to version " + target.get() + " after it was deleted"
                : "rolled back from version " + current + " to version " + target.get();
        return move(state, c, c.alias(), current, target.get(), AliasMoveKind.ROLLBACK, reasonOf(c.reason(), what),
                null, now);
    }

    private Decision<ModelEvent> promote(RegisteredModelState state, PromoteIfBetter c, Instant now) {
        if (c.criteria() == null) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "criteria are required: the metric to compare, which "
                    + "direction is better, and the minimum improvements");
        }
        List<String> problems = c.criteria().problems();
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        Optional<ModelVersionState> challenger = state.version(c.challengerVersion());
        if (challenger.isEmpty()) {
            return versionNotFound(state, c, c.challengerVersion());
        }
        String metric = c.criteria().metric();
        if (c.measured() != null) {
            return promoteMeasured(state, c, now);
        }
        Optional<Double> challengerValue = challenger.get().metric(metric);
        if (challengerValue.isEmpty()) {
            return reject(c, RejectionCode.MISSING_METRIC, "version " + c.challengerVersion() + " has no metric '"
                    + metric + "' (it has: " + metricNames(challenger.get()) + "); register it with that metric or "
                    + "compare on one it has");
        }
        Integer current = state.aliasVersion(c.alias()).orElse(null);
        if (Objects.equals(current, c.challengerVersion())) {
            return reject(c, RejectionCode.UNCHANGED, "version " + current + " already holds '" + c.alias() + "'");
        }
        Double championValue = null;
        if (current != null) {
            ModelVersionState champion = state.version(current).orElseThrow();
            Optional<Double> value = champion.metric(metric);
            if (value.isEmpty()) {
                return reject(c, RejectionCode.MISSING_METRIC, "version " + current + ", which holds '" + c.alias()
                        + "', has no metric '" + metric + "' (it has: " + metricNames(champion) + "); compare on a "
                        + "metric both versions have, or move the alias explicitly");
            }
            championValue = value.get();
        }
        PromotionEvaluation evaluation = PromotionEvaluation.evaluate(c.criteria(), c.challengerVersion(),
                challengerValue.get(), current, championValue);
        if (!evaluation.promote()) {
            return Decision.of(List.of(new PromotionDeclined(c.modelName(), c.alias(), evaluation,
                    evaluation.explanation(), c.requestedBy(), now)));
        }
        return move(state, c, c.alias(), current, c.challengerVersion(), AliasMoveKind.PROMOTION,
                evaluation.explanation(), evaluation, now);
    }

    /**
     * A promotion judged on what the caller measured on shared data: both values come from the request, and the
     * holder it measured must still hold the alias — a comparison with a champion that has since been replaced says
     * nothing about the new one.
     */
    private Decision<ModelEvent> promoteMeasured(RegisteredModelState state, PromoteIfBetter c, Instant now) {
        MeasuredComparison m = c.measured();
        Integer current = state.aliasVersion(c.alias()).orElse(null);
        if (Objects.equals(current, c.challengerVersion())) {
            return reject(c, RejectionCode.UNCHANGED, "version " + current + " already holds '" + c.alias() + "'");
        }
        if (!Double.isFinite(m.challengerValue()) || (m.championValue() != null
                && !Double.isFinite(m.championValue()))) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "measured values must be finite numbers: give the "
                    + c.criteria().metric() + " of both versions on the evaluation data");
        }
        if (!Objects.equals(current, m.championVersion())) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "the measurement compares with version "
                    + m.championVersion() + " but " + (current == null ? "no version" : "version " + current)
                    + " holds '" + c.alias() + "'; measure the current holder on the same data and ask again");
        }
        if (current != null && m.championValue() == null) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "version " + current + " holds '" + c.alias() + "': "
                    + "give its measured value (championValue) on the same data");
        }
        PromotionEvaluation evaluation = PromotionEvaluation.evaluate(c.criteria(), c.challengerVersion(),
                m.challengerValue(), current, current == null ? null : m.championValue()).measuredBy(m);
        if (!evaluation.promote()) {
            return Decision.of(List.of(new PromotionDeclined(c.modelName(), c.alias(), evaluation,
                    evaluation.explanation(), c.requestedBy(), now)));
        }
        return move(state, c, c.alias(), current, c.challengerVersion(), AliasMoveKind.PROMOTION,
                evaluation.explanation(), evaluation, now);
    }

    /** Moves an alias, or — if it is protected — asks for the approval the move needs. */
    private Decision<ModelEvent> move(RegisteredModelState state, ModelCommand c, String alias, Integer current,
                                      int version, AliasMoveKind kind, String reason,
                                      PromotionEvaluation evaluation, Instant now) {
        if (!state.isProtected(alias)) {
            return Decision.of(List.of(new AliasMoved(c.modelName(), alias, current, version, kind, reason,
                    evaluation, null, c.requestedBy(), now)));
        }
        Optional<PendingAliasChange> pending = state.pendingApprovalFor(alias);
        if (pending.isPresent()) {
            // one request at a time: approving two moves that each assumed the alias's current version would
            // make the second describe a change it no longer is
            return reject(c, RejectionCode.APPROVAL_PENDING, "alias '" + alias + "' is protected and request '"
                    + pending.get().requestId() + "' by " + pending.get().requestedBy() + " (to version "
                    + pending.get().version() + ") is still pending; approve or reject it first");
        }
        return Decision.of(List.of(new AliasChangeRequested(c.modelName(), c.commandId(), alias, current, version,
                kind, reason, evaluation, c.requestedBy(), now)));
    }

    private Decision<ModelEvent> approve(RegisteredModelState state, ApproveAliasChange c, Instant now) {
        Optional<PendingAliasChange> found = state.pendingApproval(c.requestId());
        if (found.isEmpty()) {
            return approvalNotFound(state, c, c.requestId());
        }
        PendingAliasChange p = found.get();
        if (p.requestedBy().equals(c.requestedBy())) {
            return reject(c, RejectionCode.SELF_REVIEW, c.requestedBy() + " asked for this change and cannot "
                    + "approve it; another principal must");
        }
        Integer current = state.aliasVersion(p.alias()).orElse(null);
        if (!Objects.equals(current, p.previousVersion())) {
            return reject(c, RejectionCode.STALE_APPROVAL, "alias '" + p.alias() + "' has changed since request '"
                    + p.requestId() + "' was made (" + describe(p.previousVersion()) + " then, "
                    + describe(current) + " now); reject this request and ask again");
        }
        return Decision.of(List.of(
                new AliasChangeApproved(c.modelName(), p.requestId(), p.alias(), c.comment(), c.requestedBy(), now),
                new AliasMoved(c.modelName(), p.alias(), current, p.version(), p.kind(), p.reason(), p.evaluation(),
                        new Approval(p.requestId(), c.requestedBy(), c.comment()), p.requestedBy(), now)));
    }

    private Decision<ModelEvent> rejectChange(RegisteredModelState state, RejectAliasChange c, Instant now) {
        Optional<PendingAliasChange> found = state.pendingApproval(c.requestId());
        if (found.isEmpty()) {
            return approvalNotFound(state, c, c.requestId());
        }
        PendingAliasChange p = found.get();
        if (p.requestedBy().equals(c.requestedBy())) {
            return reject(c, RejectionCode.SELF_REVIEW, c.requestedBy() + " asked for this change and cannot "
                    + "review it; another principal must reject it");
        }
        return Decision.of(List.of(new AliasChangeRejected(c.modelName(), p.requestId(), p.alias(), c.comment(),
                c.requestedBy(), now)));
    }

    // ---- retention

    private Decision<ModelEvent> setRetention(RegisteredModelState state, SetRetentionPolicy c, Instant now) {
        if (c.policy() == null) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, "policy is required: how many versions to keep, and "
                    + "for how long to keep new ones");
        }
        List<String> problems = c.policy().problems();
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        if (c.policy().equals(state.retentionPolicy().orElse(null))) {
            return reject(c, RejectionCode.UNCHANGED, "model '" + c.modelName() + "' already has this policy");
        }
        return Decision.of(List.of(new RetentionPolicySet(c.modelName(), c.policy(), c.requestedBy(), now)));
    }

    private Decision<ModelEvent> applyRetention(RegisteredModelState state, ApplyRetention c, Instant now) {
        Optional<RetentionPolicy> policy = state.retentionPolicy();
        if (policy.isEmpty()) {
            return reject(c, RejectionCode.NO_RETENTION_POLICY, "model '" + c.modelName() + "' has no retention "
                    + "policy; set one first");
        }
        List<Integer> archive = policy.get().versionsToArchive(state, now);
        if (archive.isEmpty()) {
            // the scheduled run found nothing to do; logging that for every model on every tick would be noise
            return Decision.nothing();
        }
        return Decision.of(List.of(new VersionsArchived(c.modelName(), archive,
                "retention policy: " + policy.get().describe(), c.requestedBy(), now)));
    }

    // ---- helpers

    private static Decision<ModelEvent> reject(ModelCommand c, RejectionCode code, String message) {
        return Decision.of(List.of(new ModelCommandRejected(c.modelName(), c.commandId(), code, message)));
    }

    private static Decision<ModelEvent> versionNotFound(RegisteredModelState state, ModelCommand c, int version) {
        return reject(c, RejectionCode.VERSION_NOT_FOUND, "model '" + c.modelName() + "' has no version " + version
                + (state.latestVersion() == 0 ? " (it has no versions yet)"
                : " (its versions are 1 to " + state.latestVersion() + ")"));
    }

    private static Decision<ModelEvent> approvalNotFound(RegisteredModelState state, ModelCommand c,
                                                         String requestId) {
        List<String> pending = state.pendingApprovals().stream().map(PendingAliasChange::requestId).toList();
        return reject(c, RejectionCode.APPROVAL_NOT_FOUND, "model '" + c.modelName() + "' has no pending alias "
                + "change '" + requestId + "' (it may have been decided already); "
                + (pending.isEmpty() ? "nothing is pending" : "pending: " + String.join(", ", pending)));
    }

    /** The caller's reason; null when none was given (MLflow clients never give one). */
    private static String reasonOf(String reason) {
        return reasonOf(reason, null);
    }

    private static String reasonOf(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }

    private static String describe(Integer version) {
        return version == null ? "not set" : "version " + version;
    }

    private static String metricNames(ModelVersionState v) {
        return v.metrics().isEmpty() ? "no metrics" : String.join(", ", v.metrics().keySet());
    }
}
