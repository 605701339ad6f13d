package dev.drover.scheduler.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A registered pipeline: every revision, and every run id ever used (run ids are never reused). */
public final class PipelineState {
    final String pipelineId;
    final List<PipelineRevision> revisions = new ArrayList<>();
    final Set<String> runIds = new HashSet<>();
    long runsStarted;
    final AssetWatch assets = new AssetWatch();

    PipelineState(String pipelineId) {
        this.pipelineId = pipelineId;
    }

    /** Rebuilds a pipeline from a snapshot. */
    public static PipelineState restore(String pipelineId, List<PipelineRevision> revisions, Set<String> runIds,
                                        long runsStarted) {
        PipelineState p = new PipelineState(pipelineId);
        p.revisions.addAll(revisions);
        p.runIds.addAll(runIds);
        p.runsStarted = runsStarted;
        return p;
    }

    public String pipelineId() {
        return pipelineId;
    }

    public PipelineRevision latest() {
        return revisions.get(revisions.size() - 1);
    }

    public Optional<PipelineRevision> revision(int revision) {
        return revision >= 1 && revision <= revisions.size()
                ? Optional.of(revisions.get(revision - 1)) : Optional.empty();
    }

    public List<PipelineRevision> revisions() {
        return Collections.unmodifiableList(revisions);
    }

    public Set<String> runIds() {
        return Collections.unmodifiableSet(runIds);
    }

    public long runsStarted() {
        return runsStarted;
    }

    /** What the pipeline's {@code assets} triggers have seen (restored from snapshots through it, too). */
    public AssetWatch assets() {
        return assets;
    }
}
