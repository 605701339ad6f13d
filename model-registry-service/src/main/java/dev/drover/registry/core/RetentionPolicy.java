package dev.drover.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which versions of a model retention keeps; it archives the others (they stay in the history and can be brought
 * back with a stage transition). A version is kept if any of these holds:
 * <ul>
 *   <li>it is one of the {@code keepLastVersions} highest-numbered versions;</li>
 *   <li>an alias points at it, or a pending approval would point one at it;</li>
 *   <li>it was registered less than {@code keepNewerThan} before the policy is applied (zero: no such rule);</li>
 *   <li>it is in stage Staging or Production — stages are MLflow's older form of aliases, and archiving what a
 *       stage-based client serves from would take it out of service.</li>
 * </ul>
 */
public record RetentionPolicy(int keepLastVersions, Duration keepNewerThan) {

    public RetentionPolicy {
        keepNewerThan = keepNewerThan == null ? Duration.ZERO : keepNewerThan;
    }

    /** What is wrong with this policy; empty when it can be used. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (keepLastVersions < 0) {
            out.add("keepLastVersions must be >= 0, not " + keepLastVersions);
        }
        if (keepNewerThan.isNegative()) {
            out.add("keepNewerThan must not be negative, not " + keepNewerThan);
        }
        return out;
    }

    /** The versions this policy archives now, in ascending order; versions already archived are not listed. */
    public List<Integer> versionsToArchive(RegisteredModelState model, Instant now) {
        Set<Integer> kept = new HashSet<>(model.aliases().values());
        model.pendingApprovals().forEach(p -> kept.add(p.version()));
        int latest = model.latestVersion();
        Instant cutoff = now.minus(keepNewerThan);
        List<Integer> out = new ArrayList<>();
        for (ModelVersionState v : model.versions()) {
            boolean recent = v.version() > latest - keepLastVersions
                    || (!keepNewerThan.isZero() && v.registeredAt().isAfter(cutoff));
            if (v.stage() != ModelStage.ARCHIVED && !v.stage().archivesExisting() && !recent
                    && !kept.contains(v.version())) {
                out.add(v.version());
            }
        }
        return out;
    }

    /** The policy in words, for the reason of the archive event. */
    public String describe() {
        return "keep the last " + keepLastVersions + " version(s), every version holding an alias or in Staging or "
                + "Production" + (keepNewerThan.isZero() ? "" : ", and every version newer than " + keepNewerThan);
    }
}
