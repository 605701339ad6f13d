package dev.drover.executor.registrytask;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryProtocolTest {
    private static final URI BASE = URI.create("http://registry:8082");
    private static final URI URL = URI.create("http://registry:8082/api/v1/models/churn/versions");

    @Test
    void theAttemptIsThePrincipalAndItsIdTheIdempotencyKey() {
        var inv = RegistryRequestsTest.invocation("register", Map.of());

        assertThat(RegistryProtocol.principal(inv)).isEqualTo("pipeline:churn-training/register");
        assertThat(RegistryProtocol.idempotencyKey(inv)).isEqualTo("churn-training.7/register/2");
    }

    @Test
    void namesAreEncodedAsOnePathSegment() {
        assertThat(RegistryProtocol.segment("churn model")).isEqualTo("churn%20model");
        assertThat(RegistryProtocol.segment("a?b#c&d")).isEqualTo("a%3Fb%23c%26d");
        assertThat(RegistryProtocol.segment("größe")).isEqualTo("gr%C3%B6%C3%9Fe");
        assertThat(RegistryProtocol.url(URI.create("http://h:1/base/"), "/api/v1/x"))
                .isEqualTo(URI.create("http://h:1/base/api/v1/x"));
    }

    @Test
    void aSuccessIsItsJsonBody() throws TaskFailure {
        assertThat(RegistryProtocol.successBody(URL, 201, "{\"version\": 3}").get("version").asInt()).isEqualTo(3);
        assertThatThrownBy(() -> RegistryProtocol.successBody(URL, 200, "<html>hello</html>"))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("answered HTTP 200 without the expected JSON object: <html>hello</html>")
                .hasMessageContaining("drover.executor.registry-url");
    }

    @Test
    void anErrorAnswerCarriesTheRegistrysErrorMessageProblemsAndFix() {
        String body = """
                {"error": "invalid_argument", "message": "the version has invalid metrics",
                 "problems": ["metric 'auc' must be finite"], "fix": "send finite numbers"}
                """;

        assertThatThrownBy(() -> RegistryProtocol.successBody(URL, 400, body))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("the model registry refused the request (HTTP 400 invalid_argument): the version has "
                        + "invalid metrics; problems: metric 'auc' must be finite; fix: send finite numbers");
        assertThat(RegistryProtocol.errorMessage(URL, 503, RegistryProtocol.JSON.createObjectNode()
                .put("error", "registry_unavailable").put("message", "the log is not reachable"), ""))
                .isEqualTo("the model registry failed (HTTP 503 registry_unavailable): the log is not reachable");
    }

    @Test
    void aRouteThatIsNotThereSuggestsTheUrlIsWrong() {
        assertThatThrownBy(() -> RegistryProtocol.successBody(URL, 404, "Not Found"))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("the model registry refused the request (HTTP 404 from POST " + URL + ") with a body that "
                        + "is not Drover's error JSON: Not Found; is drover.executor.registry-url (environment "
                        + "DROVER_EXECUTOR_REGISTRY_URL) pointing at the model registry? POST " + URL + " is not one "
                        + "of its routes");
    }

    @Test
    void noAnswerSaysWhichUrlWasTriedAndWhichSettingToChange() {
        assertThat(RegistryProtocol.transportMessage(BASE, URL,
                new CompletionException(new ConnectException())))
                .isEqualTo("could not connect to the model registry at http://registry:8082 (POST " + URL + "): "
                        + "connection refused; check that the registry is running, or set drover.executor."
                        + "registry-url (environment DROVER_EXECUTOR_REGISTRY_URL) to its address");
        assertThat(RegistryProtocol.transportMessage(BASE, URL, new HttpConnectTimeoutException("slow")))
                .startsWith("timed out connecting to the model registry at http://registry:8082")
                .contains("drover.executor.registry-url");
    }

    @Test
    void theRegistryUrlSettingIsChecked() {
        assertThat(RegistryTaskRunner.registryUrl(" http://localhost:8080 ")).isEqualTo(URI.create(
                "http://localhost:8080"));
        assertThatThrownBy(() -> RegistryTaskRunner.registryUrl("localhost:8082"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drover.executor.registry-url `localhost:8082` is not an http(s) URL with a host; e.g. "
                        + "http://localhost:8082");
        assertThatThrownBy(() -> RegistryTaskRunner.registryUrl("http://a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> RegistryTaskRunner.registryUrl(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
    }
}
