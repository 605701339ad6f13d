package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import io.micronaut.http.HttpStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook's API keys: either header works, a missing or wrong key is 401, no keys configured is 403. */
class EventWebhookAuthTest {
    private static final List<String> KEYS = List.of("old-key", "new-key");

    @Test
    void eitherHeaderWithAConfiguredKeyIsAccepted() {
        assertThatCode(() -> EventController.authenticate(KEYS, "Bearer new-key", null)).doesNotThrowAnyException();
        assertThatCode(() -> EventController.authenticate(KEYS, "bearer old-key", null)).doesNotThrowAnyException();
        assertThatCode(() -> EventController.authenticate(KEYS, null, "old-key")).doesNotThrowAnyException();
    }

    @Test
    void aMissingOrWrongKeyIs401AndNoKeysConfiguredIs403() {
        assertRefused(KEYS, null, null, HttpStatus.UNAUTHORIZED, "missing_api_key");
        assertRefused(KEYS, "Basic b2xkLWtleQ==", null, HttpStatus.UNAUTHORIZED, "missing_api_key");
        assertRefused(KEYS, "Bearer new-key2", null, HttpStatus.UNAUTHORIZED, "invalid_api_key");
        assertRefused(KEYS, null, "NEW-KEY", HttpStatus.UNAUTHORIZED, "invalid_api_key");
        assertThatThrownBy(() -> EventController.authenticate(List.of(), "Bearer anything", null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status().getCode()).isEqualTo(403);
                    org.assertj.core.api.Assertions.assertThat(e.body().error()).isEqualTo("webhook_disabled");
                    org.assertj.core.api.Assertions.assertThat(e.body().fix())
                            .contains("drover.scheduler.events.api-keys");
                });
    }

    private static void assertRefused(List<String> keys, String authorization, String apiKey, HttpStatus status,
                                      String error) {
        assertThatThrownBy(() -> EventController.authenticate(keys, authorization, apiKey))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status().getCode()).isEqualTo(status.getCode());
                    org.assertj.core.api.Assertions.assertThat(e.body().error()).isEqualTo(error);
                });
    }
}
