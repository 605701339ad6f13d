package dev.drover.registry.wire;

import dev.drover.registry.core.Feature;
import dev.drover.registry.core.FeatureSchema;
import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.FeatureSetRef;
import dev.drover.registry.core.FeatureStatistics;
import dev.drover.registry.core.FeatureType;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.MetricDirection;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.core.PromotionCriteria;
import dev.drover.registry.core.Quantile;
import dev.drover.registry.core.ReferenceStatistics;
import dev.drover.registry.core.RetentionPolicy;
import dev.drover.schemas.registry.command.ApplyRetention;
import dev.drover.schemas.registry.command.ApproveAliasChange;
import dev.drover.schemas.registry.command.CategoricalStatistics;
import dev.drover.schemas.registry.command.CreateModel;
import dev.drover.schemas.registry.command.DeleteAlias;
import dev.drover.schemas.registry.command.DeleteModelTag;
import dev.drover.schemas.registry.command.DeleteVersionTag;
import dev.drover.schemas.registry.command.NumericStatistics;
import dev.drover.schemas.registry.command.PromoteIfBetter;
import dev.drover.schemas.registry.command.ProtectAlias;
import dev.drover.schemas.registry.command.RegisterFeatureSetVersion;
import dev.drover.schemas.registry.command.RegisterVersion;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps every {@link ModelCommand} and {@link FeatureSetCommand} to and from its payload record in
 * {@code RegistryCommandEnvelope}. Payloads carry neither the command id nor the aggregate's name: the envelope has
 * both (the name as its key).
 *
 * <p>Commands travel as the caller sent them, nulls included — the decider, not the wire, judges input — so every
 * nullable part of a command is nullable here too. Java 17 has no pattern matching for {@code switch}: the mapping
 * is an {@code instanceof} chain ending in an exception, kept exhaustive by {@code RegistryCodecTest}.
 */
final class CommandMapping {
    private CommandMapping() {
    }

    /** The payload record of a model or feature-set command. */
    static Object toAvro(Object command) {
        if (command instanceof ModelCommand.CreateModel c) {
            return CreateModel.newBuilder().setDescription(c.description()).setTags(c.tags())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.RegisterVersion c) {
            return RegisterVersion.newBuilder().setArtifactLocation(c.artifactLocation())
                    .setDescription(c.description()).setParams(c.params()).setMetrics(c.metrics())
                    .setLineage(lineage(c.lineage())).setTags(c.tags())
                    .setCreateModelIfMissing(c.createModelIfMissing()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.SetAlias c) {
            return SetAlias.newBuilder().setAlias(c.alias()).setVersion(c.version()).setReason(c.reason())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.DeleteAlias c) {
            return DeleteAlias.newBuilder().setAlias(c.alias()).setReason(c.reason())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.ProtectAlias c) {
            return ProtectAlias.newBuilder().setAlias(c.alias()).setReason(c.reason())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.UnprotectAlias c) {
            return UnprotectAlias.newBuilder().setAlias(c.alias()).setReason(c.reason())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.ApproveAliasChange c) {
            return ApproveAliasChange.newBuilder().setRequestId(c.requestId()).setComment(c.comment())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.RejectAliasChange c) {
            return RejectAliasChange.newBuilder().setRequestId(c.requestId()).setComment(c.comment())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.RollbackAlias c) {
            return RollbackAlias.newBuilder().setAlias(c.alias()).setReason(c.reason())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.UpdateModelDescription c) {
            return UpdateModelDescription.newBuilder().setDescription(c.description())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.UpdateVersionDescription c) {
            return UpdateVersionDescription.newBuilder().setVersion(c.version()).setDescription(c.description())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.SetModelTag c) {
            return SetModelTag.newBuilder().setKey(c.key()).setValue(c.value()).setRequestedBy(c.requestedBy())
                    .build();
        } else if (command instanceof ModelCommand.DeleteModelTag c) {
            return DeleteModelTag.newBuilder().setKey(c.key()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.SetVersionTag c) {
            return SetVersionTag.newBuilder().setVersion(c.version()).setKey(c.key()).setValue(c.value())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.DeleteVersionTag c) {
            return DeleteVersionTag.newBuilder().setVersion(c.version()).setKey(c.key())
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.TransitionStage c) {
            return TransitionStage.newBuilder().setVersion(c.version()).setStage(stage(c.stage()))
                    .setArchiveExistingVersions(c.archiveExistingVersions()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof ModelCommand.PromoteIfBetter c) {
            return PromoteIfBetter.newBuilder().setAlias(c.alias()).setChallengerVersion(c.challengerVersion())
                    .setCriteria(criteria(c.criteria())).setRequestedBy(c.requestedBy())
                    .setMeasured(c.measured() == null ? null : dev.drover.schemas.registry.command.MeasuredComparison
                            .newBuilder().setChallengerValue(c.measured().challengerValue())
                            .setChampionVersion(c.measured().championVersion())
                            .setChampionValue(c.measured().championValue())
                            .setEvaluationData(c.measured().evaluationData()).setRunId(c.measured().runId())
                            .setDriftReportId(c.measured().driftReportId()).build()).build();
        } else if (command instanceof ModelCommand.SetRetentionPolicy c) {
            return SetRetentionPolicy.newBuilder().setPolicy(policy(c.policy())).setRequestedBy(c.requestedBy())
                    .build();
        } else if (command instanceof ModelCommand.ApplyRetention c) {
            return ApplyRetention.newBuilder().setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof FeatureSetCommand.RegisterFeatureSetVersion c) {
            return RegisterFeatureSetVersion.newBuilder().setDescription(c.description())
                    .setFeatureSchema(schema(c.schema())).setDataLocation(c.dataLocation())
                    .setStatistics(statistics(c.statistics())).setRequestedBy(c.requestedBy()).build();
        }
        throw new IllegalArgumentException("no wire form for registry command "
                + (command == null ? "null" : command.getClass().getName()));
    }

    /**
     * The command a payload carries.
     *
     * @param name the aggregate's name, taken from the envelope's key
     * @throws IllegalArgumentException if the payload is of no known command type or holds an unreadable value
     */
    static Object toDomain(String commandId, String name, Object payload) {
        if (payload instanceof CreateModel p) {
            return new ModelCommand.CreateModel(commandId, name, p.getDescription(), p.getTags(), p.getRequestedBy());
        } else if (payload instanceof RegisterVersion p) {
            return new ModelCommand.RegisterVersion(commandId, name, p.getArtifactLocation(), p.getDescription(),
                    p.getParams(), p.getMetrics(), lineage(p.getLineage()), p.getTags(), p.getCreateModelIfMissing(),
                    p.getRequestedBy());
        } else if (payload instanceof SetAlias p) {
            return new ModelCommand.SetAlias(commandId, name, p.getAlias(), p.getVersion(), p.getReason(),
                    p.getRequestedBy());
        } else if (payload instanceof DeleteAlias p) {
            return new ModelCommand.DeleteAlias(commandId, name, p.getAlias(), p.getReason(), p.getRequestedBy());
        } else if (payload instanceof ProtectAlias p) {
            return new ModelCommand.ProtectAlias(commandId, name, p.getAlias(), p.getReason(), p.getRequestedBy());
        } else if (payload instanceof UnprotectAlias p) {
            return new ModelCommand.UnprotectAlias(commandId, name, p.getAlias(), p.getReason(), p.getRequestedBy());
        } else if (payload instanceof ApproveAliasChange p) {
            return new ModelCommand.ApproveAliasChange(commandId, name, p.getRequestId(), p.getComment(),
                    p.getRequestedBy());
        } else if (payload instanceof RejectAliasChange p) {
            return new ModelCommand.RejectAliasChange(commandId, name, p.getRequestId(), p.getComment(),
                    p.getRequestedBy());
        } else if (payload instanceof RollbackAlias p) {
            return new ModelCommand.RollbackAlias(commandId, name, p.getAlias(), p.getReason(), p.getRequestedBy());
        } else if (payload instanceof UpdateModelDescription p) {
            return new ModelCommand.UpdateModelDescription(commandId, name, p.getDescription(), p.getRequestedBy());
        } else if (payload instanceof UpdateVersionDescription p) {
            return new ModelCommand.UpdateVersionDescription(commandId, name, p.getVersion(), p.getDescription(),
                    p.getRequestedBy());
        } else if (payload instanceof SetModelTag p) {
            return new ModelCommand.SetModelTag(commandId, name, p.getKey(), p.getValue(), p.getRequestedBy());
        } else if (payload instanceof DeleteModelTag p) {
            return new ModelCommand.DeleteModelTag(commandId, name, p.getKey(), p.getRequestedBy());
        } else if (payload instanceof SetVersionTag p) {
            return new ModelCommand.SetVersionTag(commandId, name, p.getVersion(), p.getKey(), p.getValue(),
                    p.getRequestedBy());
        } else if (payload instanceof DeleteVersionTag p) {
            return new ModelCommand.DeleteVersionTag(commandId, name, p.getVersion(), p.getKey(),
                    p.getRequestedBy());
        } else if (payload instanceof TransitionStage p) {
            return new ModelCommand.TransitionStage(commandId, name, p.getVersion(), stage(p.getStage()),
                    p.getArchiveExistingVersions(), p.getRequestedBy());
        } else if (payload instanceof PromoteIfBetter p) {
            var m = p.getMeasured();
            return new ModelCommand.PromoteIfBetter(commandId, name, p.getAlias(), p.getChallengerVersion(),
                    criteria(p.getCriteria()), p.getRequestedBy(), m == null ? null
                    : new dev.drover.registry.core.MeasuredComparison(m.getChallengerValue(), m.getChampionVersion(),
                            m.getChampionValue(), m.getEvaluationData(), m.getRunId(), m.getDriftReportId()));
        } else if (payload instanceof SetRetentionPolicy p) {
            return new ModelCommand.SetRetentionPolicy(commandId, name, policy(p.getPolicy()), p.getRequestedBy());
        } else if (payload instanceof ApplyRetention p) {
            return new ModelCommand.ApplyRetention(commandId, name, p.getRequestedBy());
        } else if (payload instanceof RegisterFeatureSetVersion p) {
            return new FeatureSetCommand.RegisterFeatureSetVersion(commandId, name, p.getDescription(),
                    schema(p.getFeatureSchema()), p.getDataLocation(), statistics(p.getStatistics()),
                    p.getRequestedBy());
        }
        throw new IllegalArgumentException("command " + commandId + " has an unknown payload "
                + (payload == null ? "null" : payload.getClass().getName()));
    }

    /** Whether a payload belongs to a model (true) or a feature set (false): which key prefix it needs. */
    static boolean isModelPayload(Object payload) {
        return !(payload instanceof RegisterFeatureSetVersion);
    }

    // ---- nested values (command namespace: what the caller sent, nulls included)

    /** {@link Lineage#NONE} travels as null. */
    private static dev.drover.schemas.registry.command.Lineage lineage(Lineage l) {
        if (l == null || l.equals(Lineage.NONE)) {
            return null;
        }
        FeatureSetRef fs = l.featureSet();
        return dev.drover.schemas.registry.command.Lineage.newBuilder().setRunId(l.runId()).setTaskId(l.taskId())
                .setCodeVersion(l.codeVersion())
                .setFeatureSet(fs == null ? null : dev.drover.schemas.registry.command.FeatureSetRef.newBuilder()
                        .setName(fs.name()).setVersion(fs.version()).build())
                .build();
    }

    private static Lineage lineage(dev.drover.schemas.registry.command.Lineage l) {
        if (l == null) {
            return Lineage.NONE;
        }
        var fs = l.getFeatureSet();
        return new Lineage(l.getRunId(), l.getTaskId(), l.getCodeVersion(),
                fs == null ? null : new FeatureSetRef(fs.getName(), fs.getVersion()));
    }

    private static dev.drover.schemas.registry.command.ModelStage stage(ModelStage s) {
        return s == null ? null : dev.drover.schemas.registry.command.ModelStage.valueOf(s.name());
    }

    private static ModelStage stage(dev.drover.schemas.registry.command.ModelStage s) {
        return s == null ? null : ModelStage.valueOf(s.name());
    }

    private static dev.drover.schemas.registry.command.PromotionCriteria criteria(PromotionCriteria c) {
        if (c == null) {
            return null;
        }
        return dev.drover.schemas.registry.command.PromotionCriteria.newBuilder().setMetric(c.metric())
                .setDirection(c.direction() == null ? null
                        : dev.drover.schemas.registry.command.MetricDirection.valueOf(c.direction().name()))
                .setMinAbsoluteImprovement(c.minAbsoluteImprovement())
                .setMinRelativeImprovement(c.minRelativeImprovement()).build();
    }

    private static PromotionCriteria criteria(dev.drover.schemas.registry.command.PromotionCriteria c) {
        if (c == null) {
            return null;
        }
        return new PromotionCriteria(c.getMetric(),
                c.getDirection() == null ? null : MetricDirection.valueOf(c.getDirection().name()),
                c.getMinAbsoluteImprovement(), c.getMinRelativeImprovement());
    }

    private static dev.drover.schemas.registry.command.RetentionPolicy policy(RetentionPolicy p) {
        if (p == null) {
            return null;
        }
        return dev.drover.schemas.registry.command.RetentionPolicy.newBuilder()
                .setKeepLastVersions(p.keepLastVersions())
                .setKeepNewerThan(Durations.toText(p.keepNewerThan())).build();
    }

    private static RetentionPolicy policy(dev.drover.schemas.registry.command.RetentionPolicy p) {
        return p == null ? null
                : new RetentionPolicy(p.getKeepLastVersions(), Durations.fromText(p.getKeepNewerThan(),
                "keepNewerThan"));
    }

    private static dev.drover.schemas.registry.command.FeatureSchema schema(FeatureSchema s) {
        if (s == null) {
            return null;
        }
        List<dev.drover.schemas.registry.command.Feature> features = new ArrayList<>();
        for (Feature f : s.features()) {
            features.add(dev.drover.schemas.registry.command.Feature.newBuilder().setName(f.name())
                    .setType(f.type() == null ? null
                            : dev.drover.schemas.registry.command.FeatureType.valueOf(f.type().name()))
                    .build());
        }
        return dev.drover.schemas.registry.command.FeatureSchema.newBuilder().setFeatures(features).build();
    }

    private static FeatureSchema schema(dev.drover.schemas.registry.command.FeatureSchema s) {
        if (s == null) {
            return null;
        }
        List<Feature> features = new ArrayList<>();
        for (var f : s.getFeatures()) {
            features.add(new Feature(f.getName(), f.getType() == null ? null : FeatureType.valueOf(f.getType().name())));
        }
        return new FeatureSchema(features);
    }

    private static dev.drover.schemas.registry.command.ReferenceStatistics statistics(ReferenceStatistics s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> features = new LinkedHashMap<>();
        s.features().forEach((name, stats) -> features.put(name, featureStatistics(stats)));
        return dev.drover.schemas.registry.command.ReferenceStatistics.newBuilder().setRowCount(s.rowCount())
                .setFeatures(features).build();
    }

    private static ReferenceStatistics statistics(dev.drover.schemas.registry.command.ReferenceStatistics s) {
        if (s == null) {
            return null;
        }
        Map<String, FeatureStatistics> features = new LinkedHashMap<>();
        s.getFeatures().forEach((name, stats) -> features.put(name, featureStatistics(name, stats)));
        return new ReferenceStatistics(s.getRowCount(), features);
    }

    private static Object featureStatistics(FeatureStatistics stats) {
        if (stats == null) {
            return null;
        } else if (stats instanceof FeatureStatistics.NumericStatistics n) {
            List<dev.drover.schemas.registry.command.Quantile> quantiles = new ArrayList<>();
            for (Quantile q : n.quantiles()) {
                quantiles.add(new dev.drover.schemas.registry.command.Quantile(q.probability(), q.value()));
            }
            return NumericStatistics.newBuilder().setBinEdges(n.binEdges()).setBinCounts(n.binCounts())
                    .setQuantiles(quantiles).setMissingCount(n.missingCount()).build();
        } else if (stats instanceof FeatureStatistics.CategoricalStatistics c) {
            return CategoricalStatistics.newBuilder().setCategoryCounts(c.categoryCounts())
                    .setMissingCount(c.missingCount()).build();
        }
        throw new IllegalArgumentException("no wire form for feature statistics " + stats.getClass().getName());
    }

    private static FeatureStatistics featureStatistics(String feature, Object stats) {
        if (stats == null) {
            return null;
        } else if (stats instanceof NumericStatistics n) {
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
                + stats.getClass().getName());
    }
}
