package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetEvent.FeatureSetCommandRejected;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One feature set, the fold of its events: its versions. It exists once its first version is registered.
 * {@link #apply} is the only code that changes it, live and during replay alike.
 */
public final class FeatureSetState {
    final String name;
    final TreeMap<Integer, FeatureSetVersion> versions = new TreeMap<>();

    /** The state of a feature set nobody has registered yet. */
    public FeatureSetState(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Applies one event. Never fails for a valid log; never causes side effects. */
    public void apply(FeatureSetEvent event) {
        if (!event.featureSetName().equals(name)) {
            throw new IllegalStateException("event for feature set " + event.featureSetName() + " applied to "
                    + name);
        }
        if (event instanceof FeatureSetVersionRegistered e) {
            versions.put(e.version(), FeatureSetVersion.of(e));
        } else if (!(event instanceof FeatureSetCommandRejected)) {
            // a rejection changes nothing; anything else unknown is a programming error
            throw new IllegalStateException("no applier for " + event.getClass().getSimpleName());
        }
    }

    public String name() {
        return name;
    }

    public boolean exists() {
        return !versions.isEmpty();
    }

    /** Every version in ascending order. */
    public Collection<FeatureSetVersion> versions() {
        return Collections.unmodifiableCollection(versions.values());
    }

    public Optional<FeatureSetVersion> version(int version) {
        return Optional.ofNullable(versions.get(version));
    }

    /** The newest version. */
    public Optional<FeatureSetVersion> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** The highest version number, 0 before the first version. */
    public int latestVersion() {
        return versions.isEmpty() ? 0 : versions.lastKey();
    }
}
