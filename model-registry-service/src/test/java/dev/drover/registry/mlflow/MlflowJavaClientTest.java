package dev.drover.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official MLflow Java client ({@code org.mlflow:mlflow-client}) against the running registry. The client's
 * registry API is read-only, so writes go through its generic {@code sendPost}/{@code sendPatch} (exactly the
 * requests MLflow's other clients send) and every read through its typed calls — which also proves each write is
 * visible to the very next read.
 */
class MlflowJavaClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryService registry;
    private static MlflowClient client;

    @BeforeAll
    static void start() {
        registry = new RegistryService("mlflow_java_client");
        client = new MlflowClient(new BasicMlflowHostCreds(registry.url(), "alice", "not-checked"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void writesThroughTheClientAreReadBackWithItsTypedCalls() throws Exception {
        String name = RegistryService.uniquePrefix("java") + "-churn";
        JsonNode created = post("registered-models/create", "{\"name\": \"" + name + "\", \"description\": "
                + "\"predicts churn\", \"tags\": [{\"key\": \"team\", \"value\": \"fraud\"}]}")
                .get("registered_model");
        assertThat(created.get("name").asText()).isEqualTo(name);
        assertThat(created.get("user_id").asText()).isEqualTo("alice");

        for (int i = 1; i <= 3; i++) {
            JsonNode v = post("model-versions/create", "{\"name\": \"" + name + "\", \"source\": "
                    + "\"s3://bucket/churn/" + i + "\", \"run_id\": \"run-" + i + "\"}").get("model_version");
            assertThat(v.get("version").asText()).isEqualTo(Integer.toString(i));
        }
        post("model-versions/transition-stage", "{\"name\": \"" + name + "\", \"version\": \"2\", "
                + "\"stage\": \"Production\", \"archive_existing_versions\": false}");
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"champion\", \"version\": \"2\"}");
        post("model-versions/set-tag", "{\"name\": \"" + name + "\", \"version\": \"3\", \"key\": \"validated\", "
                + "\"value\": \"no\"}");

        RegisteredModel model = client.getRegisteredModel(name);
        assertThat(model.getDescription()).isEqualTo("predicts churn");
        assertThat(model.getTags(0).getKey()).isEqualTo("team");
        assertThat(model.getAliases(0).getVersion()).isEqualTo("2");
        assertThat(model.getLatestVersionsList()).extracting(ModelVersion::getVersion, ModelVersion::getCurrentStage)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("2", "Production"),
                        org.assertj.core.groups.Tuple.tuple("3", "None"));

        ModelVersion production = client.getLatestVersions(name, List.of("Production")).get(0);
        assertThat(production.getVersion()).isEqualTo("2");
        assertThat(production.getRunId()).isEqualTo("run-2");
        assertThat(production.getUserId()).isEqualTo("alice");
        assertThat(production.getAliasesList()).containsExactly("champion");

        ModelVersion v3 = client.getModelVersion(name, "3");
        assertThat(v3.getSource()).isEqualTo("s3://bucket/churn/3");
        assertThat(v3.getTags(0).getValue()).isEqualTo("no");
        assertThat(client.getModelVersionDownloadUri(name, "1")).isEqualTo("s3://bucket/churn/1");

        JsonNode byAlias = JSON.readTree(client.sendGet("registered-models/alias?name=" + encode(name)
                + "&alias=champion"));
        assertThat(byAlias.get("model_version").get("source").asText()).isEqualTo("s3://bucket/churn/2");

        List<String> seen = new ArrayList<>();
        Page<ModelVersion> page = client.searchModelVersions("name = '" + name + "' AND run_id IN ('run-1', 'run-3')",
                1, List.of("version_number ASC"));
        while (true) {
            page.getItems().forEach(v -> seen.add(v.getVersion()));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertThat(seen).containsExactly("1", "3");
    }

    @Test
    void rejectionsOfTheCoreArriveAsMlflowErrors() throws Exception {
        String name = RegistryService.uniquePrefix("java") + "-fraud";
        post("registered-models/create", "{\"name\": \"" + name + "\"}");

        assertThatThrownBy(() -> post("registered-models/create", "{\"name\": \"" + name + "\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                });
        assertThatThrownBy(() -> post("model-versions/create", "{\"name\": \"" + name + "-missing\", "
                + "\"source\": \"s3://x\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
        assertThatThrownBy(() -> post("registered-models/create", "{\"name\": \"bad/name\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("path separator");
                });
        assertThatThrownBy(() -> post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": "
                + "\"champion\", \"version\": \"7\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
    }

    private static JsonNode post(String path, String json) throws Exception {
        return JSON.readTree(client.sendPost(path, json));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
