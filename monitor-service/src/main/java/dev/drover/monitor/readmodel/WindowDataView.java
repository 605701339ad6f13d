package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The production data the monitor keeps of one window (docs/monitor.md, "Production data").
 *
 * @param location where its rows are kept, or null when the monitor kept none (no data location, or recorded before
 *                 it kept data)
 * @param rows     the rows compared and kept
 * @param labels   how many labelled rows kept so far score its predictions
 */
@Serdeable
public record WindowDataView(String windowId, String reportId, String location, long rows, long labels) {
}
