package dev.drover.registry.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's input rules on the registry's routes (Drover's and MLflow's): text a PostgreSQL table cannot hold,
 * or that is not text at all, is answered 400 at once and never reaches the log — and the registry keeps working.
 */
class InputRulesApiTest {
    private static RegistryApi api;

    @BeforeAll
    static void start() {
        api = new RegistryApi(Map.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aNulInAnMlflowNameIsRefusedAtOnceAndLaterWritesStillWork() {
        long t0 = System.nanoTime();
        RegistryApi.Answer refused = api.raw("POST", "/api/2.0/mlflow/registered-models/create",
                "{\"name\":\"a\\u0000b\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(refused.body().path("message").asText()).contains("/name").contains("U+0000")
                .doesNotContain("\u0000");
        assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L); // not the write timeout

        RegistryApi.Answer created = api.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "after-nul"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/models/after-nul").status()).isEqualTo(200);
    }

    @Test
    void drOversRoutesNameTheFieldAndTheRule() {
        RegistryApi.Answer refused = api.raw("POST", "/api/v1/models",
                "{\"name\":\"m\",\"description\":\"x\\ud800y\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_input");
        assertThat(refused.body().path("problems").get(0).path("path").asText()).isEqualTo("/description");
        assertThat(refused.body().path("message").asText()).contains("unpaired");
        assertThat(refused.body().path("fix").asText()).isNotBlank();
    }

    @Test
    void nulAndInvalidUtf8InPathsAndQueriesAre400NotDatabaseErrors() {
        assertThat(api.get("/api/v1/models/ch-%00x").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/models/ch-%C3%28x").error()).isEqualTo("invalid_input");
        assertThat(api.get("/api/v1/models?pageToken=%00").status()).isEqualTo(400);
        assertThat(api.get("/api/2.0/mlflow/registered-models/get?name=a%00b").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/models/no-such-model").status()).isEqualTo(404);
    }

    @Test
    void bodiesThatAreNotUtf8OrDeclareAnotherCharsetAreRefused() {
        RegistryApi.Answer ebcdic = api.raw("POST", "/api/v1/models", "{\"name\":\"e\"}".getBytes(
                StandardCharsets.UTF_8), "application/json; charset=ebcdic");
        assertThat(ebcdic.status()).isEqualTo(415);
        assertThat(ebcdic.error()).isEqualTo("unsupported_charset");

        byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        RegistryApi.Answer notUtf8 = api.raw("POST", "/api/v1/models", latin1, "application/json");
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.body().path("message").asText()).contains("UTF-8");

        StringBuilder deep = new StringBuilder();
        deep.append("[".repeat(5000)).append("]".repeat(5000));
        RegistryApi.Answer nested = api.raw("POST", "/api/v1/models", deep.toString().getBytes(
                StandardCharsets.UTF_8), "application/json");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.body().path("message").asText()).contains("deep");
    }
}
