package dev.drover.monitor.window;

import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.FeatureReference;

import java.util.Map;

/**
 * What a model's windows are compared with: its champion version, the feature set that version was trained on (the
 * declared kind of every feature and the drift library's reference for each feature with statistics), and the
 * metrics the version was registered with (performance baselines).
 *
 * @param schema     every feature of the feature set, with its kind: a prediction must carry exactly these
 * @param references the features that have reference statistics (a feature without any is not tested)
 * @param artifactLocation the champion version's artifact, or null when the registry names none
 */
public record ModelReference(String modelName, int championVersion, FeatureSetRef featureSet,
                             Map<String, FeatureKind> schema, Map<String, FeatureReference> references,
                             Map<String, Double> metrics, String artifactLocation) {
    public ModelReference {
        schema = Map.copyOf(schema);
        references = Map.copyOf(references);
        metrics = Map.copyOf(metrics);
    }

    /** A reference whose champion's artifact location is unknown. */
    public ModelReference(String modelName, int championVersion, FeatureSetRef featureSet,
                          Map<String, FeatureKind> schema, Map<String, FeatureReference> references,
                          Map<String, Double> metrics) {
        this(modelName, championVersion, featureSet, schema, references, metrics, null);
    }
}
