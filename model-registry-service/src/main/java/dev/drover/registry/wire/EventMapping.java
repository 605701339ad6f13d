package dev.drover.registry.wire;

import dev.drover.registry.core.AliasMoveKind;
import dev.drover.registry.core.Feature;
import dev.drover.registry.core.FeatureSchema;
import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.FeatureSetRef;
import dev.drover.registry.core.FeatureStatistics;
import dev.drover.registry.core.FeatureType;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.MetricDirection;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.core.PromotionCriteria;
import dev.drover.registry.core.PromotionEvaluation;
import dev.drover.registry.core.Quantile;
import dev.drover.registry.core.ReferenceStatistics;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.core.RetentionPolicy;
import dev.drover.schemas.registry.event.AliasChangeApproved;
import dev.drover.schemas.registry.event.AliasChangeRejected;
import dev.drover.schemas.registry.event.AliasChangeRequested;
import dev.drover.schemas.registry.event.AliasDeleted;
import dev.drover.schemas.registry.event.AliasMoved;
import dev.drover.schemas.registry.event.AliasProtected;
import dev.drover.schemas.registry.event.AliasUnprotected;
import dev.drover.schemas.registry.event.Approval;
import dev.drover.schemas.registry.event.CategoricalStatistics;
import dev.drover.schemas.registry.event.FeatureSetCommandRejected;
import dev.drover.schemas.registry.event.FeatureSetVersionRegistered;
import dev.drover.schemas.registry.event.ModelCommandRejected;
import dev.drover.schemas.registry.event.ModelCreated;
import dev.drover.schemas.registry.event.ModelDescriptionUpdated;
import dev.drover.schemas.registry.event.ModelTagDeleted;
import dev.drover.schemas.registry.event.ModelTagSet;
import dev.drover.schemas.registry.event.NumericStatistics;
import dev.drover.schemas.registry.event.PromotionDeclined;
import dev.drover.schemas.registry.event.RetentionPolicySet;
import dev.drover.schemas.registry.event.VersionDescriptionUpdated;
import dev.drover.schemas.registry.event.VersionRegistered;
import dev.drover.schemas.registry.event.VersionStageTransitioned;
import dev.drover.schemas.registry.event.VersionTagDeleted;
import dev.drover.schemas.registry.event.VersionTagSet;
import dev.drover.schemas.registry.event.VersionsArchived;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps every {@link ModelEvent} and {@link FeatureSetEvent} to and from its payload record in
 * {@code RegistryEventEnvelope}. Payloads do not carry the aggregate's name: the envelope's key does.
 *
 * <p>Events hold what the decider let through, so what it guarantees (a version's artifact location, a tag's key and
 * value, a feature's type) is required in the schema and a writer that forgets one fails at once. Java 17 has no
 * pattern matching for {@code switch}: the mapping is an {@code instanceof} chain ending in an exception, kept
 * exhaustive by {@code RegistryCodecTest}.
 */
final class EventMapping {
    private EventMapping() {
    }

    /** The payload record of a model or feature-set event. */
    static Object toAvro(Object event) {
        if (event instanceof ModelEvent.ModelCreated e) {
            return ModelCreated.newBuilder().setDescription(e.description()).setTags(e.tags()).setBy(e.by())
                    .setAt(e.at()).build();
        } else if (event instanceof ModelEvent.VersionRegistered e) {
            return VersionRegistered.newBuilder().setVersion(e.version()).setArtifactLocation(e.artifactLocation())
                    .setDescription(e.description()).setParams(e.params()).setMetrics(e.metrics())
                    .setLineage(lineage(e.lineage())).setTags(e.tags()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.ModelDescriptionUpdated e) {
            return ModelDescriptionUpdated.newBuilder().setDescription(e.description()).setBy(e.by()).setAt(e.at())
                    .build();
        } else if (event instanceof ModelEvent.VersionDescriptionUpdated e) {
            return VersionDescriptionUpdated.newBuilder().setVersion(e.version()).setDescription(e.description())
                    .setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.ModelTagSet e) {
            return ModelTagSet.newBuilder().setKey(e.key()).setValue(e.value()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.ModelTagDeleted e) {
            return ModelTagDeleted.newBuilder().setKey(e.key()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.VersionTagSet e) {
            return VersionTagSet.newBuilder().setVersion(e.version()).setKey(e.key()).setValue(e.value())
                    .setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.VersionTagDeleted e) {
            return VersionTagDeleted.newBuilder().setVersion(e.version()).setKey(e.key()).setBy(e.by())
                    .setAt(e.at()).build();
        } else if (event instanceof ModelEvent.VersionStageTransitioned e) {
            return VersionStageTransitioned.newBuilder().setVersion(e.version()).setFrom(stage(e.from()))
                    .setTo(stage(e.to())).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.VersionsArchived e) {
            return VersionsArchived.newBuilder().setVersions(e.versions()).setReason(e.reason()).setBy(e.by())
                    .setAt(e.at()).build();
        } else if (event instanceof ModelEvent.RetentionPolicySet e) {
            return RetentionPolicySet.newBuilder().setPolicy(policy(e.policy())).setBy(e.by()).setAt(e.at())
                    .build();
        } else if (event instanceof ModelEvent.AliasProtected e) {
            return AliasProtected.newBuilder().setAlias(e.alias()).setReason(e.reason()).setBy(e.by())
                    .setAt(e.at()).build();
        } else if (event instanceof ModelEvent.AliasUnprotected e) {
            return AliasUnprotected.newBuilder().setAlias(e.alias()).setReason(e.reason()).setBy(e.by())
                    .setAt(e.at()).build();
        } else if (event instanceof ModelEvent.AliasChangeRequested e) {
            return AliasChangeRequested.newBuilder().setRequestId(e.requestId()).setAlias(e.alias())
                    .setPreviousVersion(e.previousVersion()).setVersion(e.version()).setKind(kind(e.kind()))
                    .setReason(e.reason()).setEvaluation(evaluation(e.evaluation())).setBy(e.by()).setAt(e.at())
                    .build();
        } else if (event instanceof ModelEvent.AliasChangeApproved e) {
            return AliasChangeApproved.newBuilder().setRequestId(e.requestId()).setAlias(e.alias())
                    .setComment(e.comment()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.AliasChangeRejected e) {
            return AliasChangeRejected.newBuilder().setRequestId(e.requestId()).setAlias(e.alias())
                    .setComment(e.comment()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.AliasMoved e) {
            return AliasMoved.newBuilder().setAlias(e.alias()).setPreviousVersion(e.previousVersion())
                    .setVersion(e.version()).setKind(kind(e.kind())).setReason(e.reason())
                    .setEvaluation(evaluation(e.evaluation())).setApproval(approval(e.approval())).setBy(e.by())
                    .setAt(e.at()).build();
        } else if (event instanceof ModelEvent.AliasDeleted e) {
            return AliasDeleted.newBuilder().setAlias(e.alias()).setPreviousVersion(e.previousVersion())
                    .setReason(e.reason()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.PromotionDeclined e) {
            return PromotionDeclined.newBuilder().setAlias(e.alias()).setEvaluation(evaluation(e.evaluation()))
                    .setReason(e.reason()).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof ModelEvent.ModelCommandRejected e) {
            return ModelCommandRejected.newBuilder().setCommandId(e.commandId()).setCode(code(e.code()))
                    .setMessage(e.message()).build();
        } else if (event instanceof FeatureSetEvent.FeatureSetVersionRegistered e) {
            return FeatureSetVersionRegistered.newBuilder().setVersion(e.version()).setDescription(e.description())
                    .setFeatureSchema(schema(e.schema())).setDataLocation(e.dataLocation())
                    .setStatistics(statistics(e.statistics())).setBy(e.by()).setAt(e.at()).build();
        } else if (event instanceof FeatureSetEvent.FeatureSetCommandRejected e) {
            return FeatureSetCommandRejected.newBuilder().setCommandId(e.commandId()).setCode(code(e.code()))
                    .setMessage(e.message()).build();
        }
        throw new IllegalArgumentException("no wire form for registry event "
                + (event == null ? "null" : event.getClass().getName()));
    }

    /**
     * The event a payload carries.
     *
     * @param name the aggregate's name, taken from the envelope's key
     * @throws IllegalArgumentException if the payload is of no known event type or holds an unreadable value
     */
    static Object toDomain(String eventId, String name, Object payload) {
        if (payload instanceof ModelCreated p) {
            return new ModelEvent.ModelCreated(name, p.getDescription(), p.getTags(), p.getBy(), p.getAt());
        } else if (payload instanceof VersionRegistered p) {
            return new ModelEvent.VersionRegistered(name, p.getVersion(), p.getArtifactLocation(),
                    p.getDescription(), p.getParams(), p.getMetrics(), lineage(p.getLineage()), p.getTags(),
                    p.getBy(), p.getAt());
        } else if (payload instanceof ModelDescriptionUpdated p) {
            return new ModelEvent.ModelDescriptionUpdated(name, p.getDescription(), p.getBy(), p.getAt());
        } else if (payload instanceof VersionDescriptionUpdated p) {
            return new ModelEvent.VersionDescriptionUpdated(name, p.getVersion(), p.getDescription(), p.getBy(),
                    p.getAt());
        } else if (payload instanceof ModelTagSet p) {
            return new ModelEvent.ModelTagSet(name, p.getKey(), p.getValue(), p.getBy(), p.getAt());
        } else if (payload instanceof ModelTagDeleted p) {
            return new ModelEvent.ModelTagDeleted(name, p.getKey(), p.getBy(), p.getAt());
        } else if (payload instanceof VersionTagSet p) {
            return new ModelEvent.VersionTagSet(name, p.getVersion(), p.getKey(), p.getValue(), p.getBy(),
                    p.getAt());
        } else if (payload instanceof VersionTagDeleted p) {
            return new ModelEvent.VersionTagDeleted(name, p.getVersion(), p.getKey(), p.getBy(), p.getAt());
        } else if (payload instanceof VersionStageTransitioned p) {
            return new ModelEvent.VersionStageTransitioned(name, p.getVersion(), stage(p.getFrom()),
                    stage(p.getTo()), p.getBy(), p.getAt());
        } else if (payload instanceof VersionsArchived p) {
            return new ModelEvent.VersionsArchived(name, p.getVersions(), p.getReason(), p.getBy(), p.getAt());
        } else if (payload instanceof RetentionPolicySet p) {
            return new ModelEvent.RetentionPolicySet(name, policy(p.getPolicy()), p.getBy(), p.getAt());
        } else if (payload instanceof AliasProtected p) {
            return new ModelEvent.AliasProtected(name, p.getAlias(), p.getReason(), p.getBy(), p.getAt());
        } else if (payload instanceof AliasUnprotected p) {
            return new ModelEvent.AliasUnprotected(name, p.getAlias(), p.getReason(), p.getBy(), p.getAt());
        } else if (payload instanceof AliasChangeRequested p) {
            return new ModelEvent.AliasChangeRequested(name, p.getRequestId(), p.getAlias(), p.getPreviousVersion(),
                    p.getVersion(), kind(p.getKind()), p.getReason(), evaluation(p.getEvaluation()), p.getBy(),
                    p.getAt());
        } else if (payload instanceof AliasChangeApproved p) {
            return new ModelEvent.AliasChangeApproved(name, p.getRequestId(), p.getAlias(), p.getComment(),
                    p.getBy(), p.getAt());
        } else if (payload instanceof AliasChangeRejected p) {
            return new ModelEvent.AliasChangeRejected(name, p.getRequestId(), p.getAlias(), p.getComment(),
                    p.getBy(), p.getAt());
        } else if (payload instanceof AliasMoved p) {
            return new ModelEvent.AliasMoved(name, p.getAlias(), p.getPreviousVersion(), p.getVersion(),
                    kind(p.getKind()), p.getReason(), evaluation(p.getEvaluation()), approval(p.getApproval()),
                    p.getBy(), p.getAt());
        } else if (payload instanceof AliasDeleted p) {
            return new ModelEvent.AliasDeleted(name, p.getAlias(), p.getPreviousVersion(), p.getReason(), p.getBy(),
                    p.getAt());
        } else if (payload instanceof PromotionDeclined p) {
            return new ModelEvent.PromotionDeclined(name, p.getAlias(), evaluation(p.getEvaluation()), p.getReason(),
                    p.getBy(), p.getAt());
        } else if (payload instanceof ModelCommandRejected p) {
            return new ModelEvent.ModelCommandRejected(name, p.getCommandId(), code(p.getCode()), p.getMessage());
        } else if (payload instanceof FeatureSetVersionRegistered p) {
            return new FeatureSetEvent.FeatureSetVersionRegistered(name, p.getVersion(), p.getDescription(),
                    schema(p.getFeatureSchema()), p.getDataLocation(), statistics(p.getStatistics()), p.getBy(),
                    p.getAt());
        } else if (payload instanceof FeatureSetCommandRejected p) {
            return new FeatureSetEvent.FeatureSetCommandRejected(name, p.getCommandId(), code(p.getCode()),
                    p.getMessage());
        }
        throw new IllegalArgumentException("event " + eventId + " has an unknown payload "
                + (payload == null ? "null" : payload.getClass().getName()));
    }

    /** Whether a payload belongs to a model (true) or a feature set (false): which key prefix it needs. */
    static boolean isModelPayload(Object payload) {
        return !(payload instanceof FeatureSetVersionRegistered) && !(payload instanceof FeatureSetCommandRejected);
    }

    // ---- nested values (event namespace: what the decider let through)

    /** {@link Lineage#NONE} travels as null. */
    private static dev.drover.schemas.registry.event.Lineage lineage(Lineage l) {
        if (l == null || l.equals(Lineage.NONE)) {
            return null;
        }
        FeatureSetRef fs = l.featureSet();
        return dev.drover.schemas.registry.event.Lineage.newBuilder().setRunId(l.runId()).setTaskId(l.taskId())
                .setCodeVersion(l.codeVersion())
                .setFeatureSet(fs == null ? null : dev.drover.schemas.registry.event.FeatureSetRef.newBuilder()
                        .setName(fs.name()).setVersion(fs.version()).build())
                .build();
    }

    private static Lineage lineage(dev.drover.schemas.registry.event.Lineage l) {
        if (l == null) {
            return Lineage.NONE;
        }
        var fs = l.getFeatureSet();
        return new Lineage(l.getRunId(), l.getTaskId(), l.getCodeVersion(),
                fs == null ? null : new FeatureSetRef(fs.getName(), fs.getVersion()));
    }

    private static dev.drover.schemas.registry.event.ModelStage stage(ModelStage s) {
        return dev.drover.schemas.registry.event.ModelStage.valueOf(s.name());
    }

    private static ModelStage stage(dev.drover.schemas.registry.event.ModelStage s) {
        return ModelStage.valueOf(s.name());
    }

    private static dev.drover.schemas.registry.event.AliasMoveKind kind(AliasMoveKind k) {
        return dev.drover.schemas.registry.event.AliasMoveKind.valueOf(k.name());
    }

    private static AliasMoveKind kind(dev.drover.schemas.registry.event.AliasMoveKind k) {
        return AliasMoveKind.valueOf(k.name());
    }

    private static dev.drover.schemas.registry.event.RejectionCode code(RejectionCode c) {
        return dev.drover.schemas.registry.event.RejectionCode.valueOf(c.name());
    }

    private static RejectionCode code(dev.drover.schemas.registry.event.RejectionCode c) {
        return RejectionCode.valueOf(c.name());
    }

    private static Approval approval(dev.drover.registry.core.Approval a) {
        return a == null ? null : Approval.newBuilder().setRequestId(a.requestId()).setApprovedBy(a.approvedBy())
                .setComment(a.comment()).build();
    }

    private static dev.drover.registry.core.Approval approval(Approval a) {
        return a == null ? null
                : new dev.drover.registry.core.Approval(a.getRequestId(), a.getApprovedBy(), a.getComment());
    }

    private static dev.drover.schemas.registry.event.PromotionEvaluation evaluation(PromotionEvaluation e) {
        if (e == null) {
            return null;
        }
        PromotionCriteria c = e.criteria();
        return dev.drover.schemas.registry.event.PromotionEvaluation.newBuilder()
                .setCriteria(dev.drover.schemas.registry.event.PromotionCriteria.newBuilder().setMetric(c.metric())
                        .setDirection(dev.drover.schemas.registry.event.MetricDirection.valueOf(c.direction().name()))
                        .setMinAbsoluteImprovement(c.minAbsoluteImprovement())
                        .setMinRelativeImprovement(c.minRelativeImprovement()).build())
                .setChallengerVersion(e.challengerVersion()).setChallengerValue(e.challengerValue())
                .setChampionVersion(e.championVersion()).setChampionValue(e.championValue())
                .setAbsoluteImprovement(e.absoluteImprovement()).setRelativeImprovement(e.relativeImprovement())
                .setPromote(e.promote()).setExplanation(e.explanation()).setMeasured(e.measured())
                .setEvaluationData(e.evaluationData()).setRunId(e.runId()).setDriftReportId(e.driftReportId())
                .build();
    }

    private static PromotionEvaluation evaluation(dev.drover.schemas.registry.event.PromotionEvaluation e) {
        if (e == null) {
            return null;
        }
        var c = e.getCriteria();
        return new PromotionEvaluation(new PromotionCriteria(c.getMetric(),
                MetricDirection.valueOf(c.getDirection().name()), c.getMinAbsoluteImprovement(),
                c.getMinRelativeImprovement()), e.getChallengerVersion(), e.getChallengerValue(),
                e.getChampionVersion(), e.getChampionValue(), e.getAbsoluteImprovement(), e.getRelativeImprovement(),
                e.getPromote(), e.getExplanation(), e.getMeasured(), e.getEvaluationData(), e.getRunId(),
                e.getDriftReportId());
    }

    private static dev.drover.schemas.registry.event.RetentionPolicy policy(RetentionPolicy p) {
        return dev.drover.schemas.registry.event.RetentionPolicy.newBuilder()
                .setKeepLastVersions(p.keepLastVersions())
                .setKeepNewerThan(Durations.toText(p.keepNewerThan())).build();
    }

    private static RetentionPolicy policy(dev.drover.schemas.registry.event.RetentionPolicy p) {
        return new RetentionPolicy(p.getKeepLastVersions(), Durations.fromText(p.getKeepNewerThan(),
                "keepNewerThan"));
    }

    private static dev.drover.schemas.registry.event.FeatureSchema schema(FeatureSchema s) {
        List<dev.drover.schemas.registry.event.Feature> features = new ArrayList<>();
        for (Feature f : s.features()) {
            features.add(dev.drover.schemas.registry.event.Feature.newBuilder().setName(f.name())
                    .setType(dev.drover.schemas.registry.event.FeatureType.valueOf(f.type().name())).build());
        }
        return dev.drover.schemas.registry.event.FeatureSchema.newBuilder().setFeatures(features).build();
    }

    private static FeatureSchema schema(dev.drover.schemas.registry.event.FeatureSchema s) {
        List<Feature> features = new ArrayList<>();
        for (var f : s.getFeatures()) {
            features.add(new Feature(f.getName(), FeatureType.valueOf(f.getType().name())));
        }
        return new FeatureSchema(features);
    }

    private static dev.drover.schemas.registry.event.ReferenceStatistics statistics(ReferenceStatistics s) {
        Map<String, Object> features = new LinkedHashMap<>();
        s.features().forEach((name, stats) -> features.put(name, featureStatistics(stats)));
        return dev.drover.schemas.registry.event.ReferenceStatistics.newBuilder().setRowCount(s.rowCount())
                .setFeatures(features).build();
    }

    private static ReferenceStatistics statistics(dev.drover.schemas.registry.event.ReferenceStatistics s) {
        Map<String, FeatureStatistics> features = new LinkedHashMap<>();
        s.getFeatures().forEach((name, stats) -> features.put(name, featureStatistics(name, stats)));
        return new ReferenceStatistics(s.getRowCount(), features);
    }

    private static Object featureStatistics(FeatureStatistics stats) {
        if (stats instanceof FeatureStatistics.NumericStatistics n) {
            List<dev.drover.schemas.registry.event.Quantile> quantiles = new ArrayList<>();
            for (Quantile q : n.quantiles()) {
                quantiles.add(new dev.drover.schemas.registry.event.Quantile(q.probability(), q.value()));
            }
            return NumericStatistics.newBuilder().setBinEdges(n.binEdges()).setBinCounts(n.binCounts())
                    .setQuantiles(quantiles).setMissingCount(n.missingCount()).build();
        } else if (stats instanceof FeatureStatistics.CategoricalStatistics c) {
            return CategoricalStatistics.newBuilder().setCategoryCounts(c.categoryCounts())
                    .setMissingCount(c.missingCount()).build();
        }
        throw new IllegalArgumentException("no wire form for feature statistics "
                + (stats == null ? "null" : stats.getClass().getName()));
    }

    private static FeatureStatistics featureStatistics(String feature, Object stats) {
        if (stats instanceof NumericStatistics n) {
            List<Quantile> quantiles = new ArrayList<>();
            for (var q : n.getQuantiles()) {
                quantiles.add(new Quantile(q.getProbability(), q.getValue()));
            }
            return new FeatureStatistics.NumericStatistics(n.getBinEdges(), n.getBinCounts(), quantiles,
                    n.getMissingCount());
        } else if (stats instanceof CategoricalStatistics c) {
            return new FeatureStatistics.CategoricalStatistics(c.getCategoryCounts(), c.getMissingCount());
        }
        throw new IllegalArgumentException("feature '" + feature + "' has statistics of an unknown kind "
                + (stats == null ? "null" : stats.getClass().getName()));
    }
}
