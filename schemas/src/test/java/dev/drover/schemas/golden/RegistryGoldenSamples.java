package dev.drover.schemas.golden;

import dev.drover.schemas.registry.command.ApplyRetention;
import dev.drover.schemas.registry.command.ApproveAliasChange;
import dev.drover.schemas.registry.command.CreateModel;
import dev.drover.schemas.registry.command.DeleteAlias;
import dev.drover.schemas.registry.command.DeleteModelTag;
import dev.drover.schemas.registry.command.DeleteVersionTag;
import dev.drover.schemas.registry.command.PromoteIfBetter;
import dev.drover.schemas.registry.command.ProtectAlias;
import dev.drover.schemas.registry.command.RegisterFeatureSetVersion;
import dev.drover.schemas.registry.command.RegisterVersion;
import dev.drover.schemas.registry.command.RegistryCommandEnvelope;
import dev.drover.schemas.registry.command.RejectAliasChange;
import dev.drover.schemas.registry.command.RollbackAlias;
import dev.drover.schemas.registry.command.SetAlias;
import dev.drover.schemas.registry.command.SetModelTag;
import dev.drover.schemas.registry.command.SetRetentionPolicy;
import dev.drover.schemas.registry.command.SetVersionTag;
import dev.drover.schemas.registry.command.TransitionStage;
import dev.drover.schemas.registry.command.UnprotectAlias;
import dev.drover.schemas.registry.command.UpdateModelDescription;
import dev.drover.schemas.registry.command.UpdateVersionDescription;
import dev.drover.schemas.registry.event.AliasChangeApproved;
import dev.drover.schemas.registry.event.AliasChangeRejected;
import dev.drover.schemas.registry.event.AliasChangeRequested;
import dev.drover.schemas.registry.event.AliasDeleted;
import dev.drover.schemas.registry.event.AliasMoveKind;
import dev.drover.schemas.registry.event.AliasMoved;
import dev.drover.schemas.registry.event.AliasProtected;
import dev.drover.schemas.registry.event.AliasUnprotected;
import dev.drover.schemas.registry.event.Approval;
import dev.drover.schemas.registry.event.FeatureSetCommandRejected;
import dev.drover.schemas.registry.event.FeatureSetVersionRegistered;
import dev.drover.schemas.registry.event.ModelCommandRejected;
import dev.drover.schemas.registry.event.ModelCreated;
import dev.drover.schemas.registry.event.ModelDescriptionUpdated;
import dev.drover.schemas.registry.event.ModelTagDeleted;
import dev.drover.schemas.registry.event.ModelTagSet;
import dev.drover.schemas.registry.event.PromotionDeclined;
import dev.drover.schemas.registry.event.RegistryEventEnvelope;
import dev.drover.schemas.registry.event.RejectionCode;
import dev.drover.schemas.registry.event.RetentionPolicySet;
import dev.drover.schemas.registry.event.VersionDescriptionUpdated;
import dev.drover.schemas.registry.event.VersionRegistered;
import dev.drover.schemas.registry.event.VersionStageTransitioned;
import dev.drover.schemas.registry.event.VersionTagDeleted;
import dev.drover.schemas.registry.event.VersionTagSet;
import dev.drover.schemas.registry.event.VersionsArchived;
import org.apache.avro.specific.SpecificRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The golden samples of the model registry's envelopes ({@code RegistryCommandEnvelope},
 * {@code RegistryEventEnvelope}): one envelope per payload kind, every optional field filled, all about one model
 * ({@link #MODEL}) or one feature set ({@link #FEATURE_SET}). Part of {@link GoldenRecordGenerator#samples()}.
 */
final class RegistryGoldenSamples {
    static final String MODEL = "golden-model";
    static final String FEATURE_SET = "golden-features";
    static final String MODEL_KEY = "model/" + MODEL;
    static final String FEATURE_SET_KEY = "feature-set/" + FEATURE_SET;

    private RegistryGoldenSamples() {
    }

    static Map<String, SpecificRecord> samples() {
        Map<String, SpecificRecord> out = new LinkedHashMap<>();
        for (Object payload : commands()) {
            String key = payload instanceof RegisterFeatureSetVersion ? FEATURE_SET_KEY : MODEL_KEY;
            out.put("RegistryCommandEnvelope-" + payload.getClass().getSimpleName(),
                    RegistryCommandEnvelope.newBuilder().setCommandId("golden-command")
                            .setIssuedAt(GoldenRecordGenerator.T).setCorrelationId(GoldenRecordGenerator.RUN)
                            .setKey(key).setPayload(payload).build());
        }
        for (Object payload : events()) {
            String key = payload instanceof FeatureSetVersionRegistered || payload instanceof FeatureSetCommandRejected
                    ? FEATURE_SET_KEY : MODEL_KEY;
            out.put("RegistryEventEnvelope-" + payload.getClass().getSimpleName(),
                    RegistryEventEnvelope.newBuilder().setEventId("golden-command#0")
                            .setTimestamp(GoldenRecordGenerator.T).setKey(key).setCausationId("golden-command")
                            .setCorrelationId(GoldenRecordGenerator.RUN).setIndex(0).setCount(1).setPayload(payload)
                            .build());
        }
        return out;
    }

    private static List<Object> commands() {
        var criteria = dev.drover.schemas.registry.command.PromotionCriteria.newBuilder().setMetric("auc")
                .setDirection(dev.drover.schemas.registry.command.MetricDirection.GREATER)
                .setMinAbsoluteImprovement(0.01).setMinRelativeImprovement(0.02).build();
        var lineage = dev.drover.schemas.registry.command.Lineage.newBuilder().setRunId(GoldenRecordGenerator.RUN)
                .setTaskId("train").setCodeVersion("3f2c9e1")
                .setFeatureSet(dev.drover.schemas.registry.command.FeatureSetRef.newBuilder().setName(FEATURE_SET)
                        .setVersion(1).build())
                .build();
        var schema = dev.drover.schemas.registry.command.FeatureSchema.newBuilder().setFeatures(List.of(
                dev.drover.schemas.registry.command.Feature.newBuilder().setName("age")
                        .setType(dev.drover.schemas.registry.command.FeatureType.NUMERIC).build(),
                dev.drover.schemas.registry.command.Feature.newBuilder().setName("plan")
                        .setType(dev.drover.schemas.registry.command.FeatureType.CATEGORICAL).build())).build();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("age", dev.drover.schemas.registry.command.NumericStatistics.newBuilder()
                .setBinEdges(List.of(18.0, 40.0, 90.0)).setBinCounts(List.of(60L, 38L))
                .setQuantiles(List.of(new dev.drover.schemas.registry.command.Quantile(0.5, 35.0)))
                .setMissingCount(2).build());
        stats.put("plan", dev.drover.schemas.registry.command.CategoricalStatistics.newBuilder()
                .setCategoryCounts(new TreeMap<>(Map.of("basic", 70L, "pro", 25L))).setMissingCount(5).build());
        return List.of(
                CreateModel.newBuilder().setDescription("predicts churn").setTags(Map.of("team", "growth"))
                        .setRequestedBy("alice").build(),
                RegisterVersion.newBuilder().setArtifactLocation("s3://models/golden/1").setDescription("nightly")
                        .setParams(Map.of("lr", "0.1")).setMetrics(Map.of("auc", 0.91)).setLineage(lineage)
                        .setTags(Map.of("data", "2025-01")).setCreateModelIfMissing(true).setRequestedBy("alice")
                        .build(),
                SetAlias.newBuilder().setAlias("champion").setVersion(1).setReason("best").setRequestedBy("alice")
                        .build(),
                DeleteAlias.newBuilder().setAlias("staging").setReason("unused").setRequestedBy("alice").build(),
                ProtectAlias.newBuilder().setAlias("champion").setReason("traffic").setRequestedBy("bob").build(),
                UnprotectAlias.newBuilder().setAlias("champion").setReason("migration").setRequestedBy("bob")
                        .build(),
                ApproveAliasChange.newBuilder().setRequestId("golden-request").setComment("ok").setRequestedBy("bob")
                        .build(),
                RejectAliasChange.newBuilder().setRequestId("golden-request").setComment("no").setRequestedBy("bob")
                        .build(),
                RollbackAlias.newBuilder().setAlias("champion").setReason("regression").setRequestedBy("alice")
                        .build(),
                UpdateModelDescription.newBuilder().setDescription("predicts churn in 30 days")
                        .setRequestedBy("alice").build(),
                UpdateVersionDescription.newBuilder().setVersion(1).setDescription("retrained")
                        .setRequestedBy("alice").build(),
                SetModelTag.newBuilder().setKey("owner").setValue("growth").setRequestedBy("alice").build(),
                DeleteModelTag.newBuilder().setKey("owner").setRequestedBy("alice").build(),
                SetVersionTag.newBuilder().setVersion(1).setKey("validated").setValue("true").setRequestedBy("alice")
                        .build(),
                DeleteVersionTag.newBuilder().setVersion(1).setKey("validated").setRequestedBy("alice").build(),
                TransitionStage.newBuilder().setVersion(1)
                        .setStage(dev.drover.schemas.registry.command.ModelStage.PRODUCTION)
                        .setArchiveExistingVersions(true).setRequestedBy("alice").build(),
                PromoteIfBetter.newBuilder().setAlias("champion").setChallengerVersion(2).setCriteria(criteria)
                        .setRequestedBy("promote-task").setMeasured(dev.drover.schemas.registry.command
                                .MeasuredComparison.newBuilder().setChallengerValue(0.91).setChampionVersion(1)
                                .setChampionValue(0.85).setEvaluationData("/var/lib/drover/monitor-data/golden.csv")
                                .setRunId(GoldenRecordGenerator.RUN).setDriftReportId("golden-model/golden-window")
                                .build()).build(),
                SetRetentionPolicy.newBuilder().setPolicy(dev.drover.schemas.registry.command.RetentionPolicy
                        .newBuilder().setKeepLastVersions(5).setKeepNewerThan("PT720H").build())
                        .setRequestedBy("alice").build(),
                ApplyRetention.newBuilder().setRequestedBy("retention-timer").build(),
                RegisterFeatureSetVersion.newBuilder().setDescription("january").setFeatureSchema(schema)
                        .setDataLocation("s3://data/golden/2025-01")
                        .setStatistics(dev.drover.schemas.registry.command.ReferenceStatistics.newBuilder()
                                .setRowCount(100).setFeatures(stats).build())
                        .setRequestedBy("alice").build());
    }

    private static List<Object> events() {
        var criteria = dev.drover.schemas.registry.event.PromotionCriteria.newBuilder().setMetric("auc")
                .setDirection(dev.drover.schemas.registry.event.MetricDirection.GREATER)
                .setMinAbsoluteImprovement(0.01).setMinRelativeImprovement(0.02).build();
        var evaluation = dev.drover.schemas.registry.event.PromotionEvaluation.newBuilder().setCriteria(criteria)
                .setChallengerVersion(2).setChallengerValue(0.91).setChampionVersion(1).setChampionValue(0.85)
                .setAbsoluteImprovement(0.06).setRelativeImprovement(0.0705882352941176).setPromote(true)
                .setExplanation("version 2 wins on auc").setMeasured(true)
                .setEvaluationData("/var/lib/drover/monitor-data/golden.csv").setRunId(GoldenRecordGenerator.RUN)
                .setDriftReportId("golden-model/golden-window").build();
        var lineage = dev.drover.schemas.registry.event.Lineage.newBuilder().setRunId(GoldenRecordGenerator.RUN)
                .setTaskId("train").setCodeVersion("3f2c9e1")
                .setFeatureSet(dev.drover.schemas.registry.event.FeatureSetRef.newBuilder().setName(FEATURE_SET)
                        .setVersion(1).build())
                .build();
        var schema = dev.drover.schemas.registry.event.FeatureSchema.newBuilder().setFeatures(List.of(
                dev.drover.schemas.registry.event.Feature.newBuilder().setName("age")
                        .setType(dev.drover.schemas.registry.event.FeatureType.NUMERIC).build(),
                dev.drover.schemas.registry.event.Feature.newBuilder().setName("plan")
                        .setType(dev.drover.schemas.registry.event.FeatureType.CATEGORICAL).build())).build();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("age", dev.drover.schemas.registry.event.NumericStatistics.newBuilder()
                .setBinEdges(List.of(18.0, 40.0, 90.0)).setBinCounts(List.of(60L, 38L))
                .setQuantiles(List.of(new dev.drover.schemas.registry.event.Quantile(0.5, 35.0)))
                .setMissingCount(2).build());
        stats.put("plan", dev.drover.schemas.registry.event.CategoricalStatistics.newBuilder()
                .setCategoryCounts(new TreeMap<>(Map.of("basic", 70L, "pro", 25L))).setMissingCount(5).build());
        var t = GoldenRecordGenerator.T;
        return List.of(
                ModelCreated.newBuilder().setDescription("predicts churn").setTags(Map.of("team", "growth"))
                        .setBy("alice").setAt(t).build(),
                VersionRegistered.newBuilder().setVersion(1).setArtifactLocation("s3://models/golden/1")
                        .setDescription("nightly").setParams(Map.of("lr", "0.1")).setMetrics(Map.of("auc", 0.91))
                        .setLineage(lineage).setTags(Map.of("data", "2025-01")).setBy("alice").setAt(t).build(),
                ModelDescriptionUpdated.newBuilder().setDescription("predicts churn in 30 days").setBy("alice")
                        .setAt(t).build(),
                VersionDescriptionUpdated.newBuilder().setVersion(1).setDescription("retrained").setBy("alice")
                        .setAt(t).build(),
                ModelTagSet.newBuilder().setKey("owner").setValue("growth").setBy("alice").setAt(t).build(),
                ModelTagDeleted.newBuilder().setKey("owner").setBy("alice").setAt(t).build(),
                VersionTagSet.newBuilder().setVersion(1).setKey("validated").setValue("true").setBy("alice")
                        .setAt(t).build(),
                VersionTagDeleted.newBuilder().setVersion(1).setKey("validated").setBy("alice").setAt(t).build(),
                VersionStageTransitioned.newBuilder().setVersion(1)
                        .setFrom(dev.drover.schemas.registry.event.ModelStage.STAGING)
                        .setTo(dev.drover.schemas.registry.event.ModelStage.PRODUCTION).setBy("alice").setAt(t)
                        .build(),
                VersionsArchived.newBuilder().setVersions(List.of(1, 2)).setReason("retention policy")
                        .setBy("retention-timer").setAt(t).build(),
                RetentionPolicySet.newBuilder().setPolicy(dev.drover.schemas.registry.event.RetentionPolicy
                        .newBuilder().setKeepLastVersions(5).setKeepNewerThan("PT720H").build()).setBy("alice")
                        .setAt(t).build(),
                AliasProtected.newBuilder().setAlias("champion").setReason("traffic").setBy("bob").setAt(t).build(),
                AliasUnprotected.newBuilder().setAlias("champion").setReason("migration").setBy("bob").setAt(t)
                        .build(),
                AliasChangeRequested.newBuilder().setRequestId("golden-request").setAlias("champion")
                        .setPreviousVersion(1).setVersion(2).setKind(AliasMoveKind.PROMOTION)
                        .setReason("version 2 wins on auc").setEvaluation(evaluation).setBy("alice").setAt(t)
                        .build(),
                AliasChangeApproved.newBuilder().setRequestId("golden-request").setAlias("champion")
                        .setComment("ok").setBy("bob").setAt(t).build(),
                AliasChangeRejected.newBuilder().setRequestId("golden-request").setAlias("champion")
                        .setComment("no").setBy("bob").setAt(t).build(),
                AliasMoved.newBuilder().setAlias("champion").setPreviousVersion(1).setVersion(2)
                        .setKind(AliasMoveKind.PROMOTION).setReason("version 2 wins on auc")
                        .setEvaluation(evaluation).setApproval(Approval.newBuilder().setRequestId("golden-request")
                                .setApprovedBy("bob").setComment("ok").build())
                        .setBy("alice").setAt(t).build(),
                AliasDeleted.newBuilder().setAlias("staging").setPreviousVersion(1).setReason("unused")
                        .setBy("alice").setAt(t).build(),
                PromotionDeclined.newBuilder().setAlias("champion").setEvaluation(evaluation).setReason("worse")
                        .setBy("alice").setAt(t).build(),
                ModelCommandRejected.newBuilder().setCommandId("golden-command").setCode(RejectionCode.SELF_REVIEW)
                        .setMessage("alice asked for this change and cannot approve it").build(),
                FeatureSetVersionRegistered.newBuilder().setVersion(1).setDescription("january")
                        .setFeatureSchema(schema).setDataLocation("s3://data/golden/2025-01")
                        .setStatistics(dev.drover.schemas.registry.event.ReferenceStatistics.newBuilder()
                                .setRowCount(100).setFeatures(stats).build())
                        .setBy("alice").setAt(t).build(),
                FeatureSetCommandRejected.newBuilder().setCommandId("golden-command")
                        .setCode(RejectionCode.INVALID_ARGUMENT).setMessage("feature 'age': statistics are null")
                        .build());
    }
}
