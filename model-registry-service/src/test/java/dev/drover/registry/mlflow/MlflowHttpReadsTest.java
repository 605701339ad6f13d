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
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.Page;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MLflow routes over HTTP on the running service, reading a read model filled directly with rows (under names
 * of their own, as the service's projector shares the test broker's log with other tests): the wire
 * format (MLflow's field names, string versions, epoch-millisecond timestamps), the official MLflow Java client's
 * read calls, GET parameters from the query string, and MLflow's error body for every kind of failure — while
 * Drover's own routes keep Drover's error body.
 */
class MlflowHttpReadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PREFIX = RegistryService.uniquePrefix("http");
    private static final String CHURN = PREFIX + "-churn";
    private static final String FRAUD = PREFIX + "-fraud";
    private static RegistryService service;
    private static String base;

    @BeforeAll
    static void startTheService() {
        ReadModelFixture db = new ReadModelFixture("mlflow_http");
        db.model(CHURN, 1, 60, "alice", "predicts churn").modelTag(CHURN, "team", "fraud")
                .model(FRAUD, 2, 20, "bob", null);
        db.version(CHURN, 1, "Archived", "r1", "s3://bucket/churn/1", 10, 50)
                .version(CHURN, 2, "Production", "r2", "s3://bucket/churn/2", 11, 51)
                .version(CHURN, 3, "Staging", "r2", "s3://bucket/churn/3", 12, 52)
                .version(FRAUD, 1, "None", null, "s3://bucket/fraud/1", 13, 53)
                .versionTag(CHURN, 2, "validated", "yes").alias(CHURN, "champion", 2);
        service = new RegistryService("mlflow_http", db.url);
        base = service.url();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void getRegisteredModelSpeaksMlflowsJson() throws Exception {
        JsonNode model = get("/api/2.0/mlflow/registered-models/get?name=" + CHURN + "").body().get("registered_model");

        assertThat(model.get("name").asText()).isEqualTo(CHURN);
        assertThat(model.get("creation_timestamp").asLong()).isEqualTo(ReadModelFixture.at(1).toEpochMilli());
        assertThat(model.get("last_updated_timestamp").asLong()).isEqualTo(ReadModelFixture.at(60).toEpochMilli());
        assertThat(model.get("description").asText()).isEqualTo("predicts churn");
        assertThat(model.get("user_id").asText()).isEqualTo("alice");
        assertThat(model.get("tags").toString()).isEqualTo("[{\"key\":\"team\",\"value\":\"fraud\"}]");
        assertThat(model.get("aliases").toString()).isEqualTo("[{\"alias\":\"champion\",\"version\":\"2\"}]");
        JsonNode production = model.get("latest_versions").get(1);
        assertThat(production.get("version").isTextual()).isTrue();
        assertThat(production.get("version").asText()).isEqualTo("2");
        assertThat(production.get("current_stage").asText()).isEqualTo("Production");
        assertThat(production.get("status").asText()).isEqualTo("READY");
        assertThat(production.get("run_id").asText()).isEqualTo("r2");
        assertThat(production.get("source").asText()).isEqualTo("s3://bucket/churn/2");
        assertThat(production.get("aliases").toString()).isEqualTo("[\"champion\"]");
    }

    @Test
    void theAjaxPrefixServesTheSameAnswers() throws Exception {
        assertThat(get("/ajax-api/2.0/mlflow/registered-models/get?name=" + CHURN + "").body())
                .isEqualTo(get("/api/2.0/mlflow/registered-models/get?name=" + CHURN + "").body());
    }

    @Test
    void theMlflowJavaClientReadsTheRegistry() {
        MlflowClient client = new MlflowClient(base);

        RegisteredModel churn = client.getRegisteredModel(CHURN);
        assertThat(churn.getLatestVersionsList()).extracting(ModelVersion::getVersion).containsExactly("1", "2", "3");
        assertThat(churn.getAliases(0).getAlias()).isEqualTo("champion");
        assertThat(churn.getTags(0).getValue()).isEqualTo("fraud");

        List<ModelVersion> production = client.getLatestVersions(CHURN, List.of("Production"));
        assertThat(production).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(production.get(0).getStatus().name()).isEqualTo("READY");
        assertThat(production.get(0).getTags(0).getKey()).isEqualTo("validated");

        ModelVersion v3 = client.getModelVersion(CHURN, "3");
        assertThat(v3.getCurrentStage()).isEqualTo("Staging");
        assertThat(v3.getRunId()).isEqualTo("r2");
        assertThat(v3.getCreationTimestamp()).isEqualTo(ReadModelFixture.at(12).toEpochMilli());
        assertThat(client.getModelVersionDownloadUri(CHURN, "3")).isEqualTo("s3://bucket/churn/3");

        assertThatThrownBy(() -> client.getModelVersion(CHURN, "9"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST")
                            .contains("Model Version (name=" + CHURN + ", version=9) not found");
                });
    }

    @Test
    void theMlflowJavaClientPagesThroughASearch() {
        MlflowClient client = new MlflowClient(base);
        List<String> seen = new ArrayList<>();
        Page<ModelVersion> page = client.searchModelVersions("run_id IN ('r1', 'r2') AND name LIKE '" + PREFIX + "%'", 2,
                List.of("version_number DESC"));
        int pages = 0;
        while (true) {
            pages++;
            page.getItems().forEach(v -> seen.add(v.getName().substring(PREFIX.length() + 1) + "/" + v.getVersion()));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("churn/3", "churn/2", "churn/1");
        ModelVersionsPage all = client.searchModelVersions("name = '" + FRAUD + "'");
        assertThat(all.getItems()).extracting(ModelVersion::getVersion).containsExactly("1");
    }

    @Test
    void getTakesRepeatedQueryKeysAsListsAndPostTakesAJsonBody() throws Exception {
        JsonNode byQuery = get("/api/2.0/mlflow/registered-models/get-latest-versions?name=" + CHURN
                + "&stages=Staging&stages=archived").body();
        assertThat(versions(byQuery.get("model_versions"))).containsExactly("1", "3");

        Reply byBody = send("POST", "/api/2.0/mlflow/registered-models/get-latest-versions",
                "{\"name\": \"" + CHURN + "\", \"stages\": [\"Production\"]}", "application/json");
        assertThat(byBody.status()).isEqualTo(200);
        assertThat(versions(byBody.body().get("model_versions"))).containsExactly("2");

        JsonNode search = get("/api/2.0/mlflow/registered-models/search?max_results=1"
                + "&order_by=" + encode("last_updated_timestamp DESC") + "&filter=" + encode("name ILIKE '" + PREFIX.toUpperCase(java.util.Locale.ROOT) + "%'"))
                .body();
        assertThat(search.get("registered_models").get(0).get("name").asText()).isEqualTo(CHURN);
        JsonNode next = get("/api/2.0/mlflow/registered-models/search?max_results=1&order_by="
                + encode("last_updated_timestamp DESC") + "&filter=" + encode("name ILIKE '" + PREFIX.toUpperCase(java.util.Locale.ROOT) + "%'") + "&page_token="
                + encode(search.get("next_page_token").asText())).body();
        assertThat(next.get("registered_models").get(0).get("name").asText()).isEqualTo(FRAUD);
        assertThat(next.has("next_page_token")).isFalse();

        assertThat(get("/api/2.0/mlflow/registered-models/alias?name=" + CHURN + "&alias=champion").body()
                .get("model_version").get("version").asText()).isEqualTo("2");
    }

    @Test
    void badParametersGetInvalidParameterValueNamingTheProblem() throws Exception {
        assertError(get("/api/2.0/mlflow/registered-models/get"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'name'.");
        assertError(get("/api/2.0/mlflow/model-versions/get?name=" + CHURN + "&version=two"), 400,
                "INVALID_PARAMETER_VALUE", "Parameter 'version' must be a positive integer, got 'two'.");
        assertError(get("/api/2.0/mlflow/model-versions/search?filter=" + encode("name = churn")), 400,
                "INVALID_PARAMETER_VALUE", "expected a quoted string value after 'name =' at position 7");
        assertError(get("/api/2.0/mlflow/registered-models/search?max_results=abc"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid value \"abc\" for parameter 'max_results' supplied");
        assertError(get("/api/2.0/mlflow/registered-models/search?page_token=garbage%21"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid page token");
        assertError(get("/api/2.0/mlflow/registered-models/get?name=nope"), 404, "RESOURCE_DOES_NOT_EXIST",
                "Registered Model with name=nope not found.");
    }

    @Test
    void malformedBodiesAndWrongMediaTypesGetMlflowsErrorBody() throws Exception {
        assertError(send("POST", "/api/2.0/mlflow/registered-models/create", "{\"name\": ", "application/json"),
                400, "INVALID_PARAMETER_VALUE", "Malformed JSON in the request body");
        assertError(send("POST", "/api/2.0/mlflow/registered-models/create", "[1, 2]", "application/json"),
                400, "INVALID_PARAMETER_VALUE", "The request body must be a JSON object");
        assertError(send("POST", "/api/2.0/mlflow/registered-models/create", "name=x", "text/plain"),
                400, "INVALID_PARAMETER_VALUE", "Content-Type must be one of ['application/json']");
        assertError(send("POST", "/api/2.0/mlflow/registered-models/get-latest-versions",
                "{\"name\": \"x\", \"stages\": \"Production\", \"x\": }", "application/json"), 400,
                "INVALID_PARAMETER_VALUE", "Malformed JSON");
    }

    @Test
    void unknownMlflowRoutesAreEndpointNotFoundButDroverRoutesKeepDroversBody() throws Exception {
        assertError(get("/api/2.0/mlflow/registered-models/list"), 404, "ENDPOINT_NOT_FOUND",
                "No MLflow endpoint GET /api/2.0/mlflow/registered-models/list");
        assertError(send("PUT", "/api/2.0/mlflow/registered-models/get", "{}", "application/json"), 404,
                "ENDPOINT_NOT_FOUND", "No MLflow endpoint PUT /api/2.0/mlflow/registered-models/get");

        Reply drover = get("/api/v1/no-such-thing");
        assertThat(drover.status()).isEqualTo(404);
        assertThat(drover.body().has("error_code")).isFalse();
        assertThat(drover.body().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void renamesAndDeletesAreRefusedWithWhatToDoInstead() throws Exception {
        assertError(send("POST", "/api/2.0/mlflow/registered-models/rename",
                "{\"name\": \"churn\", \"new_name\": \"c\"}", "application/json"), 501, "NOT_IMPLEMENTED",
                "Renaming a registered model is not supported");
        assertError(send("DELETE", "/api/2.0/mlflow/registered-models/delete", "{\"name\": \"churn\"}",
                "application/json"), 501, "NOT_IMPLEMENTED", "model-versions/transition-stage (stage Archived)");
        assertError(send("DELETE", "/api/2.0/mlflow/model-versions/delete",
                "{\"name\": \"churn\", \"version\": \"1\"}", "application/json"), 501, "NOT_IMPLEMENTED",
                "Archive it instead with POST model-versions/transition-stage");
    }

    private static List<String> versions(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.get("version").asText()));
        return out;
    }

    private static void assertError(Reply reply, int status, String code, String messagePart) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.body().get("error_code").asText()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.body().get("message").asText()).as(reply.toString()).contains(messagePart);
        assertThat(reply.body().size()).as("only error_code and message").isEqualTo(2);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private record Reply(int status, JsonNode body) {
    }

    private static Reply get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private static Reply send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }
}
