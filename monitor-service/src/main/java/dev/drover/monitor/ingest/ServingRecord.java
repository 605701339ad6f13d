package dev.drover.monitor.ingest;

import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.Prediction;

/**
 * What a record of {@code drover.monitor.predictions} or {@code drover.monitor.labels} holds once decoded, whichever
 * format the serving system chose: a prediction or a label.
 */
public sealed interface ServingRecord {

    /** The model the record is about (its Kafka key must be the same). */
    String modelName();

    /** A decoded prediction. */
    record PredictionRecord(Prediction prediction) implements ServingRecord {
        @Override
        public String modelName() {
            return prediction.modelName();
        }
    }

    /** A decoded label. */
    record LabelRecord(Label label) implements ServingRecord {
        @Override
        public String modelName() {
            return label.modelName();
        }
    }
}
