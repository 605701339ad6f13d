package dev.drover.monitor.window;

import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.FeatureOverride;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorCommand.RecordPerformance;
import dev.drover.monitor.core.MonitorCommand.RecordWindow;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.drift.CategoricalWindow;
import dev.drover.monitor.drift.DatasetDrift;
import dev.drover.monitor.drift.DriftDetector;
import dev.drover.monitor.drift.DriftMethod;
import dev.drover.monitor.drift.DriftSettings;
import dev.drover.monitor.drift.FeatureDrift;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.FeatureReference;
import dev.drover.monitor.drift.FeatureWindow;
import dev.drover.monitor.drift.NumericReference;
import dev.drover.monitor.drift.NumericWindow;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.Prediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One monitored model's open windows on one partition: the drift window its predictions are sketched into and the
 * performance window its labels are scored in. Kafka-free: the loop hands it records with their offsets and
 * appends the commands it returns; offsets let it say which records only live in memory ({@link
 * #firstPredictionNeeded()}, {@link #firstLabelNeeded()}) and which were already counted ({@link #mark()}).
 *
 * <p>Windows by count close with their N-th row (valid predictions; rows set aside do not count, except those
 * without a reference, so a model without one still turns its windows over). Windows by time are aligned on the
 * epoch ({@code [k·d, (k+1)·d)}) by prediction timestamp and close when a later prediction arrives or, by the wall
 * clock, {@link WindowSettings#grace()} after their end.
 */
final class ModelWindows {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWindows.class);

    private final String model;
    private final int partition;
    private final ReferenceSource source;
    private final WindowSettings settings;
    private final RecentPredictions recent;
    /** Where rows are kept, or null when the monitor keeps none. */
    private final ProductionData data;
    /** The open drift window's rows and the open performance window's labels, when kept. */
    private final List<Prediction> windowRows = new ArrayList<>();
    private final List<ProductionData.LabeledRow> labeledRows = new ArrayList<>();
    private MonitoringPolicy policy;
    private ModelReference reference;
    private Instant nextLookup = Instant.MIN;
    private Instant nextChampionCheck = Instant.MIN;
    /** How often predictions of a newer version than the champion make the windows ask whether it moved. */
    static final Duration CHAMPION_CHECK = Duration.ofSeconds(2);
    private ProgressMark mark;

    // the open drift window
    private Instant start;
    private Instant end;
    private long rows;
    private long rowsTowardsCount;
    private Map<String, FeatureWindow> sketches;
    private final Map<String, Long> bad = new TreeMap<>();
    private long firstPrediction = -1;
    /** {@link #windowId()} and the first prediction it was built for. */
    private String windowId;
    private long windowIdOf = Long.MIN_VALUE;
    private long lastPrediction = -1;
    private long firstBadLabel = -1;
    private long lastBadLabel = -1;

    // the open performance window
    private Instant perfEnd;
    private int perfCount;
    private long perfCorrect;
    private double[] scores;
    private boolean[] truths;
    private long firstPerfLabel = -1;
    private long lastPerfLabel = -1;

    ModelWindows(String model, int partition, MonitoringPolicy policy, ReferenceSource source,
                 WindowSettings settings, ProgressMark mark, ProductionData data) {
        this.data = data;
        this.model = model;
        this.partition = partition;
        this.policy = policy;
        this.source = source;
        this.settings = settings;
        this.mark = mark;
        this.recent = new RecentPredictions(settings.recentPredictions());
    }

    void policy(MonitoringPolicy policy) {
        this.policy = policy;
    }

    ProgressMark mark() {
        return mark;
    }

    /** The first prediction offset whose effect is only in memory, or -1. */
    long firstPredictionNeeded() {
        return firstPrediction;
    }

    /** The first label offset whose effect is only in memory, or -1. */
    long firstLabelNeeded() {
        return firstBadLabel < 0 ? firstPerfLabel : firstPerfLabel < 0 ? firstBadLabel
                : Math.min(firstBadLabel, firstPerfLabel);
    }

    /**
     * Remembers a prediction read again after a restart only so labels can find it: it was counted before the
     * committed offset.
     */
    void remember(Prediction p) {
        recent.put(p.requestId(), p.modelVersion(), p.prediction(), null);
    }

    /** A prediction record that could not be decoded: counted as bad (unless already counted). */
    List<MonitorCommand> undecodablePrediction(long offset, Instant now) {
        if (offset <= mark.predictions()) {
            return List.of();
        }
        List<MonitorCommand> out = new ArrayList<>();
        badPrediction(offset, BadRecordReasons.UNDECODABLE);
        closeByCount(now, out);
        return out;
    }

    /** A label record that could not be decoded. */
    void undecodableLabel(long offset) {
        if (offset > mark.badLabels()) {
            badLabel(offset, BadRecordReasons.UNDECODABLE);
        }
    }

    List<MonitorCommand> prediction(long offset, Prediction p, Instant now) {
        remember(p);
        if (offset <= mark.predictions()) {
            return List.of();
        }
        List<MonitorCommand> out = new ArrayList<>();
        Duration d = policy.window().duration();
        if (d != null) {
            Instant windowStart = align(p.timestamp(), d);
            if (start != null && !p.timestamp().isBefore(end)) {
                closeDrift(now, out);
            }
            Instant floor = start != null ? start : Instant.ofEpochMilli(mark.lastEndMillis() == Long.MIN_VALUE
                    ? Long.MIN_VALUE / 2 : mark.lastEndMillis());
            if (p.timestamp().isBefore(floor)) {
                badPrediction(offset, BadRecordReasons.LATE);
                return out;
            }
            if (start == null) {
                start = windowStart;
                end = windowStart.plus(d);
            }
        }
        if (reference == null) {
            lookup(now);
        } else {
            followChampion(p, now, out);
        }
        if (reference == null) {
            badPrediction(offset, BadRecordReasons.NO_REFERENCE);
            rowsTowardsCount++;
            closeByCount(now, out);
            return out;
        }
        String problem = addRow(p);
        if (problem != null) {
            badPrediction(offset, problem);
            return out;
        }
        if (firstPrediction < 0) {
            firstPrediction = offset;
        }
        if (data != null) {
            windowRows.add(p);
            recent.put(p.requestId(), p.modelVersion(), p.prediction(), windowId());
        }
        lastPrediction = offset;
        rows++;
        rowsTowardsCount++;
        if (d == null) {
            start = start == null || p.timestamp().isBefore(start) ? p.timestamp() : start;
            end = end == null || p.timestamp().isAfter(end) ? p.timestamp() : end;
        }
        closeByCount(now, out);
        return out;
    }

    List<MonitorCommand> label(long offset, Label l, Instant now) {
        if (offset <= Math.min(mark.performance(), mark.badLabels()) || policy.degradation() == null) {
            return List.of();
        }
        List<MonitorCommand> out = new ArrayList<>();
        RecentPredictions.Served served = recent.get(l.requestId());
        String metric = policy.degradation().metric();
        if (served == null) {
            badLabelOnce(offset, BadRecordReasons.UNKNOWN_REQUEST);
            return out;
        }
        if (reference == null) {
            lookup(now);
        }
        if (reference == null) {
            badLabelOnce(offset, BadRecordReasons.NO_REFERENCE);
            return out;
        }
        if (served.version() != reference.championVersion()) {
            badLabelOnce(offset, BadRecordReasons.NOT_CHAMPION);
            return out;
        }
        Double score = PerformanceMetrics.score(served.prediction());
        Boolean truth = PerformanceMetrics.truth(l.label());
        if (!PerformanceMetrics.SUPPORTED.contains(metric) || ("auc".equals(metric)
                && (score == null || truth == null))) {
            badLabelOnce(offset, BadRecordReasons.UNSCORABLE);
            return out;
        }
        if (offset <= mark.performance()) {
            return out;
        }
        Duration d = policy.window().duration();
        if (d != null && perfEnd != null && !l.timestamp().isBefore(perfEnd)) {
            closePerformance(out);
        }
        if (perfCount == 0) {
            perfEnd = d == null ? null : align(l.timestamp(), d).plus(d);
            if (scores == null) {
                scores = new double[1024];
                truths = new boolean[scores.length];
            }
            firstPerfLabel = offset;
        }
        if (perfCount == scores.length) {
            int grown = (int) Math.min((long) scores.length * 2, settings.maxPerformanceLabels());
            scores = java.util.Arrays.copyOf(scores, grown);
            truths = java.util.Arrays.copyOf(truths, grown);
        }
        if (data != null) {
            labeledRows.add(new ProductionData.LabeledRow(l, served.version(), served.prediction(), served.windowId()));
        }
        scores[perfCount] = score == null ? Double.NaN : score;
        truths[perfCount] = truth != null && truth;
        perfCount++;
        if (PerformanceMetrics.correct(served.prediction(), l.label())) {
            perfCorrect++;
        }
        lastPerfLabel = offset;
        long size = policy.window().byCount() ? policy.window().rows() : settings.maxPerformanceLabels();
        if (perfCount >= Math.min(size, settings.maxPerformanceLabels())) {
            closePerformance(out);
        }
        return out;
    }

    /** Closes windows by time whose end passed {@link WindowSettings#grace()} ago by the wall clock. */
    List<MonitorCommand> tick(Instant now) {
        if (policy.window().duration() == null) {
            return List.of();
        }
        List<MonitorCommand> out = new ArrayList<>();
        if (start != null && !now.isBefore(end.plus(settings.grace()))) {
            closeDrift(now, out);
        }
        if (perfCount > 0 && !now.isBefore(perfEnd.plus(settings.grace()))) {
            closePerformance(out);
        }
        return out;
    }

    private void closeByCount(Instant now, List<MonitorCommand> out) {
        if (policy.window().byCount() && rowsTowardsCount >= policy.window().rows()) {
            closeDrift(now, out);
        }
    }

    private static Instant align(Instant t, Duration d) {
        long size = d.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), size) * size);
    }

    /** Validates a prediction's features against the schema and adds them to the sketches; else the reason. */
    private String addRow(Prediction p) {
        for (String f : p.features().keySet()) {
            if (!reference.schema().containsKey(f)) {
                return BadRecordReasons.EXTRA_FEATURE;
            }
        }
        Map<String, Object> values = p.features();
        for (Map.Entry<String, FeatureKind> f : reference.schema().entrySet()) {
            if (!values.containsKey(f.getKey())) {
                return BadRecordReasons.MISSING_FEATURE;
            }
            Object v = values.get(f.getKey());
            if (v instanceof Double d && !Double.isFinite(d)) {
                return BadRecordReasons.NON_FINITE;
            }
            if (v != null && category(f.getValue(), v) == null && !(f.getValue() == FeatureKind.NUMERIC
                    && v instanceof Double)) {
                return BadRecordReasons.WRONG_TYPE;
            }
        }
        if (sketches == null) {
            sketches = new HashMap<>();
            for (Map.Entry<String, FeatureReference> r : reference.references().entrySet()) {
                sketches.put(r.getKey(), r.getValue() instanceof NumericReference n ? new NumericWindow(n)
                        : new CategoricalWindow());
            }
        }
        for (Map.Entry<String, FeatureWindow> s : sketches.entrySet()) {
            Object v = values.get(s.getKey());
            if (s.getValue() instanceof NumericWindow n) {
                n.add(v == null ? Double.NaN : (Double) v);
            } else {
                ((CategoricalWindow) s.getValue()).add(v == null ? null
                        : category(reference.schema().get(s.getKey()), v));
            }
        }
        return null;
    }

    /**
     * A categorical or binary value as the category the registry counted: strings as they are, booleans as
     * {@code true}/{@code false}, integral numbers without a decimal point; null when the value cannot be one.
     */
    private static String category(FeatureKind kind, Object v) {
        if (kind == FeatureKind.NUMERIC) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return null;
    }

    private void badPrediction(long offset, String reason) {
        bad.merge(reason, 1L, Long::sum);
        if (firstPrediction < 0) {
            firstPrediction = offset;
        }
        lastPrediction = offset;
    }

    private void badLabelOnce(long offset, String reason) {
        if (offset > mark.badLabels()) {
            badLabel(offset, reason);
        }
    }

    private void badLabel(long offset, String reason) {
        bad.merge(reason, 1L, Long::sum);
        if (firstBadLabel < 0) {
            firstBadLabel = offset;
        }
        lastBadLabel = offset;
    }

    private void lookup(Instant now) {
        if (now.isBefore(nextLookup)) {
            return;
        }
        ReferenceSource.Lookup found = source.champion(model);
        if (found instanceof ReferenceSource.Found f) {
            if (reference == null || reference.championVersion() != f.reference().championVersion()
                    || !reference.featureSet().equals(f.reference().featureSet())) {
                LOG.info("monitor windows: {} compares with champion v{} and feature set {} v{}", model,
                        f.reference().championVersion(), f.reference().featureSet().name(),
                        f.reference().featureSet().version());
            }
            reference = f.reference();
        } else {
            LOG.warn("monitor windows: no reference for {}: {}; its predictions count as {} until there is one",
                    model, ((ReferenceSource.Missing) found).reason(), BadRecordReasons.NO_REFERENCE);
            reference = null;
            nextLookup = now.plus(settings.referenceRetry());
        }
    }

    private void closeDrift(Instant now, List<MonitorCommand> out) {
        ClosedWindow window = null;
        List<FeatureResult> results = new ArrayList<>();
        if (rows > 0 && reference != null) {
            try {
                DatasetDrift drift = DriftDetector.detect(reference.references(), sketches, driftSettings());
                for (FeatureDrift f : drift.features()) {
                    results.add(new FeatureResult(f.feature(), f.method().name(), f.statistic(), f.pValue(),
                            f.threshold(), f.drifted()));
                }
                drift.skipped().keySet().forEach(f -> bad.merge(BadRecordReasons.UNTESTED_PREFIX + f, rows,
                        Long::sum));
            } catch (IllegalArgumentException e) {
                LOG.error("monitor windows: cannot test the window of {}: {}", model, e.getMessage());
            }
            long endMillis = Math.max(end.toEpochMilli(), mark.lastEndMillis());
            String location = keep(() -> data.writeWindow(model, windowId(),
                    new ArrayList<>(new java.util.TreeSet<>(reference.schema().keySet())), windowRows));
            window = new ClosedWindow(windowId(), start, Instant.ofEpochMilli(endMillis), rows,
                    reference.championVersion(), reference.featureSet(), location, reference.artifactLocation());
        }
        if (window != null && !results.isEmpty()) {
            out.add(new RecordWindow("window:" + model + "/" + window.windowId(), model, window, results,
                    new TreeMap<>(bad)));
            mark = new ProgressMark(Math.max(lastPrediction, mark.predictions()), mark.performance(),
                    Math.max(lastBadLabel, mark.badLabels()), window.end().toEpochMilli());
        } else {
            LOG.warn("monitor windows: window of {} from {} has {} comparable rows and cannot be recorded; bad "
                    + "records dropped: {}", model, start, rows, bad);
            mark = new ProgressMark(Math.max(lastPrediction, mark.predictions()), mark.performance(),
                    Math.max(lastBadLabel, mark.badLabels()), end == null ? mark.lastEndMillis()
                    : Math.max(end.toEpochMilli(), mark.lastEndMillis()));
        }
        start = null;
        end = null;
        rows = 0;
        rowsTowardsCount = 0;
        windowRows.clear();
        sketches = null;
        bad.clear();
        firstPrediction = -1;
        lastPrediction = -1;
        firstBadLabel = -1;
        lastBadLabel = -1;
        nextLookup = Instant.MIN;
        lookup(now); // the champion may have moved
    }

    /**
     * A prediction served by a newer version than the champion compared with says the champion has probably moved:
     * ask the registry (at most every {@link #CHAMPION_CHECK}), and if it has, close the open window with the
     * reference its rows were compared with, so that the next window is compared with the new champion's reference
     * at once rather than after a whole window of the old one.
     */
    private void followChampion(Prediction p, Instant now, List<MonitorCommand> out) {
        if (p.modelVersion() <= reference.championVersion() || now.isBefore(nextChampionCheck)) {
            return;
        }
        nextChampionCheck = now.plus(CHAMPION_CHECK);
        ReferenceSource.Lookup found = source.champion(model);
        if (!(found instanceof ReferenceSource.Found f)
                || (f.reference().championVersion() == reference.championVersion()
                && f.reference().featureSet().equals(reference.featureSet()))) {
            return;
        }
        if (rows > 0) {
            closeDrift(now, out); // and looks the new reference up
        } else {
            reference = f.reference();
            sketches = null;
        }
    }

    /** The id of the open drift window: its first row's offset makes it unique on the partition. */
    private String windowId() {
        if (windowIdOf != firstPrediction) {
            // asked once per kept row: built once per window
            windowId = "w-p" + partition + "-" + firstPrediction;
            windowIdOf = firstPrediction;
        }
        return windowId;
    }

    /**
     * Keeps production data, or says why it could not: a full disk must not stop monitoring, so the window is then
     * recorded without a data location (and the failure logged).
     */
    private String keep(java.util.function.Supplier<String> write) {
        if (data == null) {
            return null;
        }
        try {
            return write.get();
        } catch (RuntimeException e) {
            LOG.error("monitor windows: production data of {} not kept: {}", model, e.toString());
            return null;
        }
    }

    private DriftSettings driftSettings() {
        Map<String, DriftSettings.FeatureOverride> overrides = new HashMap<>();
        for (Map.Entry<String, FeatureOverride> o : policy.featureOverrides().entrySet()) {
            FeatureReference r = reference.references().get(o.getKey());
            DriftMethod method = o.getValue().method() == null ? null : DriftMethod.valueOf(o.getValue().method());
            if (r == null || (method != null && !method.accepts(r.kind()))) {
                LOG.warn("monitor windows: override of {} for feature {} does not fit the reference; ignored",
                        model, o.getKey());
                continue;
            }
            overrides.put(o.getKey(), new DriftSettings.FeatureOverride(method, o.getValue().threshold()));
        }
        return new DriftSettings(overrides, policy.datasetDriftShare() == null
                ? DriftSettings.DEFAULT_DRIFT_SHARE : policy.datasetDriftShare());
    }

    private void closePerformance(List<MonitorCommand> out) {
        String metric = policy.degradation() == null ? null : policy.degradation().metric();
        double observed = "auc".equals(metric) ? PerformanceMetrics.auc(scores, truths, perfCount)
                : (double) perfCorrect / perfCount;
        Double baseline = reference == null ? null : reference.metrics().get(metric);
        String windowId = "perf-p" + partition + "-" + firstPerfLabel;
        if (reference != null && baseline != null && Double.isFinite(observed)) {
            String location = labeledRows.isEmpty() ? null : keep(() -> data.writeLabeled(model, windowId, labeledRows));
            Map<String, Long> byWindow = new TreeMap<>();
            if (location != null) {
                for (ProductionData.LabeledRow r : labeledRows) {
                    if (r.windowId() != null) {
                        byWindow.merge(r.windowId(), 1L, Long::sum);
                    }
                }
            }
            out.add(new RecordPerformance("performance:" + model + "/" + windowId, model, windowId,
                    reference.championVersion(), metric, observed, perfCount, baseline, location, byWindow));
        } else {
            LOG.warn("monitor windows: performance window {} of {} not recorded: {} labels, {} = {}, baseline {}",
                    windowId, model, perfCount, metric, observed, baseline == null
                            ? "missing (register the version with metric " + metric + ")" : baseline);
        }
        mark = new ProgressMark(mark.predictions(), Math.max(lastPerfLabel, mark.performance()), mark.badLabels(),
                mark.lastEndMillis());
        perfCount = 0;
        perfCorrect = 0;
        labeledRows.clear();
        perfEnd = null;
        firstPerfLabel = -1;
        lastPerfLabel = -1;
    }
}
