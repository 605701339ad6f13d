package dev.drover.monitor.window;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.drover.monitor.datastore.DataStore;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.Prediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The production data the monitor keeps (docs/monitor.md, "Production data"): each closed window's rows, and each
 * performance window's labelled rows, as CSV files under one data location (a directory, or an {@code s3://} bucket and
 * prefix: {@link DataStore}):
 * <pre>
 * &lt;root&gt;/&lt;model&gt;/windows/&lt;window id&gt;.csv  request_id, timestamp, model_version, prediction, &lt;features&gt;
 * &lt;root&gt;/&lt;model&gt;/labeled/&lt;window id&gt;.csv  request_id, label, label_timestamp, model_version, prediction,
 *                                          window_id, window_data
 * </pre>
 * A labelled row names the window file that holds its prediction's features ({@code window_data}, joined on
 * {@code request_id}), so that the monitor does not hold every recent prediction's features in memory for labels.
 *
 * <p><b>Exactly once.</b> A file is named by its window's id and written whole (a temporary file renamed over the
 * name, or one PUT of the object) before the window's command is committed to Kafka. A crash before the commit makes the window loop read
 * the same records again and close the same window with the same rows, so the file is written again with the same
 * content; a crash after it leaves the file as it is. No row is lost or kept twice.
 */
public final class ProductionData {
    private static final Logger LOG = LoggerFactory.getLogger(ProductionData.class);

    private final DataStore store;

    public ProductionData(DataStore store) {
        this.store = store;
    }

    /** The store the files go to. */
    public DataStore store() {
        return store;
    }

    /** Where a window's rows are kept (whether written yet or not). */
    public String windowLocation(String model, String windowId) {
        return store.location(windowKey(model, windowId));
    }

    private static String windowKey(String model, String windowId) {
        return model + "/windows/" + windowId + ".csv";
    }

    /**
     * Writes a closed window's rows, features in {@code features} order (missing values empty).
     *
     * @return the file's location
     */
    String writeWindow(String model, String windowId, List<String> features, List<Prediction> rows) {
        String key = windowKey(model, windowId);
        List<String> header = new ArrayList<>(List.of("request_id", "timestamp", "model_version", "prediction"));
        header.addAll(features);
        write(key, header, out -> {
            for (Prediction p : rows) {
                out.cell(p.requestId()).cell(p.timestamp().toString()).cell(p.modelVersion()).cell(p.prediction());
                Map<String, Object> f = p.features();
                for (String name : features) {
                    out.cell(f.get(name));
                }
                out.endRow();
            }
        });
        return store.location(key);
    }

    /** A label with what it scores. */
    record LabeledRow(Label label, int modelVersion, Object prediction, String windowId) {
    }

    /**
     * Writes a performance window's labelled rows.
     *
     * @return the file's location
     */
    String writeLabeled(String model, String windowId, List<LabeledRow> rows) {
        String key = model + "/labeled/" + windowId + ".csv";
        write(key, List.of("request_id", "label", "label_timestamp", "model_version", "prediction", "window_id",
                "window_data"), out -> {
            for (LabeledRow r : rows) {
                out.cell(r.label().requestId()).cell(r.label().label()).cell(r.label().timestamp().toString())
                        .cell(r.modelVersion()).cell(r.prediction()).cell(r.windowId())
                        .cell(r.windowId() == null ? null : windowLocation(model, r.windowId())).endRow();
            }
        });
        return store.location(key);
    }

    /** Deletes kept files last written more than {@code retention} before {@code now}; returns how many. */
    public int deleteOlderThan(Duration retention, Instant now) {
        try {
            return store.deleteWrittenBefore(now.minus(retention));
        } catch (IOException e) {
            LOG.warn("production data: retention sweep of {} stopped: {}", store, e.getMessage());
            return 0;
        }
    }

    private interface Rows {
        void print(CsvOut out) throws IOException;
    }

    /**
     * RFC 4180 rows, written lean: the window loop keeps every prediction it compares, on the same thread, so this is
     * on the ingest path (a general CSV library cost about half the ingest rate). A cell is quoted only when it holds
     * a comma, a quote or a line break; numbers as {@link #text}.
     */
    private static final class CsvOut {
        private final Writer w;
        private final StringBuilder row = new StringBuilder(256);
        private boolean first = true;

        CsvOut(Writer w) {
            this.w = w;
        }

        CsvOut cell(Object value) {
            if (!first) {
                row.append(',');
            }
            first = false;
            String s = text(value);
            boolean quote = false;
            for (int i = 0; i < s.length() && !quote; i++) {
                char c = s.charAt(i);
                quote = c == ',' || c == '"' || c == '\n' || c == '\r';
            }
            if (quote) {
                row.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                row.append(s);
            }
            return this;
        }

        void endRow() throws IOException {
            row.append('\n');
            w.append(row);
            row.setLength(0);
            first = true;
        }
    }

    private void write(String key, List<String> header, Rows rows) {
        try {
            store.write(key, w -> {
                CsvOut out = new CsvOut(w);
                for (String h : header) {
                    out.cell(h);
                }
                out.endRow();
                rows.print(out);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep production data at " + store.location(key) + ": "
                    + e.getMessage(), e);
        }
    }

    /** A value as a CSV cell: numbers without a trailing .0 when integral, missing as empty. */
    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (v instanceof Double d) {
            // the shortest text that reads back as the same double (Schubfach, as Double.toString since JDK 19);
            // JDK 17's Double.toString took a fifth of the window loop
            return NumberOutput.toString(d, true);
        }
        return v.toString();
    }
}
