package dev.drover.registry.readmodel;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A cache of read-model answers per model, for the hot reads (alias lookups): entries of a model are dropped by the
 * projector after it commits any event of that model and before it reports the progress that read-your-writes waits
 * for, so a reader never sees an answer older than the position it waited for.
 *
 * <p>A load that races with an invalidation is not kept: the answer is stored only in the model's entry set it
 * started from, which the invalidation detaches, so a stale answer can be returned to a reader that started before
 * the write but is never served to later ones.
 */
public final class ReadCache {
    /** Past this many cached models the cache starts over (a bound on memory, not a tuning knob). */
    static final int MAX_MODELS = 100_000;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Object>> models = new ConcurrentHashMap<>();

    /** The cached answer for {@code key} of {@code model}, loading it (and caching it if present) when missing. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(String model, String key, Supplier<Optional<T>> loader) {
        ConcurrentHashMap<String, Object> entries = models.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        Object cached = entries.get(key);
        if (cached != null) {
            return Optional.of((T) cached);
        }
        Optional<T> loaded = loader.get();
        if (loaded.isPresent() && models.get(model) == entries) {
            entries.putIfAbsent(key, loaded.get());
        }
        if (models.size() > MAX_MODELS) {
            models.clear();
        }
        return loaded;
    }

    /** Drops every cached answer about these models. */
    public void invalidate(Collection<String> modelNames) {
        modelNames.forEach(models::remove);
    }

    /** Drops everything (a rebuild). */
    public void invalidateAll() {
        models.clear();
    }
}
