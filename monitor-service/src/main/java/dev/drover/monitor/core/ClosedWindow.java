package dev.drover.monitor.core;

import java.time.Instant;

/**
 * A window of production data that the monitor's adapter has closed and compared with the champion's reference.
 *
 * @param windowId        unique per model; windows of one model are recorded in the order they close
 * @param start           the window's first instant (inclusive)
 * @param end             the window's last instant (exclusive for windows by time; the last row's timestamp for
 *                        windows by count)
 * @param rowCount        the rows in the window that were compared (bad records are counted apart)
 * @param championVersion the model version that served as champion, whose feature set was the reference
 * @param featureSet      the feature-set version the window was compared with
 * @param dataLocation    where the window's rows are kept ({@code docs/monitor.md}, "Production data"), or null
 * @param championArtifact the champion version's artifact location, or null when unknown
 */
public record ClosedWindow(String windowId, Instant start, Instant end, long rowCount, int championVersion,
                           FeatureSetRef featureSet, String dataLocation, String championArtifact) {

    /** A window whose rows are not kept, of a champion whose artifact is unknown. */
    public ClosedWindow(String windowId, Instant start, Instant end, long rowCount, int championVersion,
                        FeatureSetRef featureSet) {
        this(windowId, start, end, rowCount, championVersion, featureSet, null, null);
    }
}
