package dev.drover.registry.readmodel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReadCacheTest {
    private final ReadCache cache = new ReadCache();
    private final AtomicInteger loads = new AtomicInteger();

    private Optional<String> load(String value) {
        loads.incrementAndGet();
        return Optional.of(value);
    }

    @Test
    void aLoadedAnswerIsServedUntilItsModelIsInvalidated() {
        assertThat(cache.get("churn", "alias/champion", () -> load("v1"))).contains("v1");
        assertThat(cache.get("churn", "alias/champion", () -> load("v2"))).contains("v1");
        assertThat(loads).hasValue(1);

        cache.invalidate(List.of("fraud"));
        assertThat(cache.get("churn", "alias/champion", () -> load("v2"))).contains("v1");

        cache.invalidate(List.of("churn"));
        assertThat(cache.get("churn", "alias/champion", () -> load("v2"))).contains("v2");
        cache.invalidateAll();
        assertThat(cache.get("churn", "alias/champion", () -> load("v3"))).contains("v3");
        assertThat(loads).hasValue(3);
    }

    @Test
    void anAnswerLoadedAcrossAnInvalidationIsReturnedButNotKept() {
        // the projector commits and invalidates while a reader is loading the old answer
        Optional<String> raced = cache.get("churn", "alias/champion", () -> {
            cache.invalidate(List.of("churn"));
            return load("old");
        });
        assertThat(raced).contains("old");
        assertThat(cache.get("churn", "alias/champion", () -> load("new"))).contains("new");
    }

    @Test
    void absentAnswersAreNotCached() {
        assertThat(cache.get("churn", "alias/none", Optional::<String>empty)).isEmpty();
        assertThat(cache.get("churn", "alias/none", () -> load("now set"))).contains("now set");
    }
}
