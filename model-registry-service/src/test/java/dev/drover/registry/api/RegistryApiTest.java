package dev.drover.registry.api;

import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.retention.RetentionTimer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drover's registry REST API end to end: the real decision loop, projector, broker and PostgreSQL behind it. Every
 * write answers from the read model, so each assertion on a write's answer also checks read-your-writes.
 */
class RegistryApiTest {
    private static RegistryApi api;

    @BeforeAll
    static void start() {
        api = new RegistryApi(Map.of());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A field's text; {@code null} when the answer leaves it out (absent values are omitted). */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "null" : v.asText();
    }

    private static String models(String name) {
        return "/api/v1/models/" + name;
    }

    /** A model with versions whose auc values are given, in order. */
    private static String modelWithVersions(double... aucs) {
        String name = unique("churn");
        assertThat(api.post("/api/v1/models", Map.of("name", name)).status()).isEqualTo(201);
        for (double auc : aucs) {
            RegistryApi.Answer v = api.post(models(name) + "/versions", Map.of("artifactLocation", "s3://m/" + auc,
                    "metrics", Map.of("auc", auc)));
            assertThat(v.status()).as(v.body().toString()).isEqualTo(201);
        }
        return name;
    }

    @Test
    void aModelIsCreatedReadDescribedTaggedAndListed() {
        String name = unique("churn");
        RegistryApi.Answer created = api.post("/api/v1/models", Map.of("name", name, "description", "predicts churn",
                "tags", Map.of("team", "risk")), "alice", null);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.body().path("name").asText()).isEqualTo(name);
        assertThat(created.body().path("createdBy").asText()).isEqualTo("alice");
        assertThat(created.body().path("tags").path("team").asText()).isEqualTo("risk");
        assertThat(created.body().path("latestVersion").asInt()).isZero();

        assertThat(api.get(models(name)).body()).isEqualTo(created.body());
        RegistryApi.Answer described = api.patch(models(name), Map.of("description", "monthly churn"));
        assertThat(described.body().path("description").asText()).isEqualTo("monthly churn");
        RegistryApi.Answer tagged = api.put(models(name) + "/tags/owner", Map.of("value", "alice"));
        assertThat(tagged.body().path("tags").path("owner").asText()).isEqualTo("alice");
        RegistryApi.Answer untagged = api.delete(models(name) + "/tags/team");
        assertThat(untagged.status()).isEqualTo(200);
        assertThat(untagged.body().path("tags").has("team")).isFalse();

        RegistryApi.Answer again = api.post("/api/v1/models", Map.of("name", name));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("model_exists");
        assertThat(again.body().path("fix").asText()).isNotBlank();

        RegistryApi.Answer listed = api.get("/api/v1/models?nameLike=" + name.toUpperCase());
        assertThat(listed.body().path("models")).hasSize(1);
        assertThat(listed.body().path("models").get(0).path("name").asText()).isEqualTo(name);

        List<String> types = new ArrayList<>();
        api.get(models(name) + "/history").body().path("events").forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).containsExactly("ModelCreated", "ModelDescriptionUpdated", "ModelTagSet",
                "ModelTagDeleted", "ModelCommandRejected");

        assertThat(api.get(models(unique("none"))).error()).isEqualTo("model_not_found");
    }

    @Test
    void versionsAreRegisteredNumberedPagedDescribedTaggedAndStaged() {
        String name = unique("fraud");
        RegistryApi.Answer first = api.post(models(name) + "/versions", Map.of("artifactLocation", "s3://m/1",
                "params", Map.of("depth", "4"), "metrics", Map.of("auc", 0.8),
                "lineage", Map.of("runId", "train.1", "featureSet", Map.of("name", "fs", "version", 2)),
                "createModelIfMissing", true), "pipeline", null);
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
        assertThat(first.body().path("version").asInt()).isEqualTo(1);
        assertThat(first.body().path("params").path("depth").asText()).isEqualTo("4");
        assertThat(first.body().path("metrics").path("auc").asDouble()).isEqualTo(0.8);
        assertThat(first.body().path("lineage").path("featureSet").path("version").asInt()).isEqualTo(2);
        assertThat(first.body().path("stage").asText()).isEqualTo("None");
        assertThat(api.post(models(name) + "/versions", Map.of("artifactLocation", "s3://m/2")).body()
                .path("version").asInt()).isEqualTo(2);

        JsonNode page1 = api.get(models(name) + "/versions?limit=1").body();
        assertThat(page1.path("versions").get(0).path("version").asInt()).isEqualTo(2);
        JsonNode page2 = api.get(models(name) + "/versions?limit=1&pageToken="
                + page1.path("nextPageToken").asText()).body();
        assertThat(page2.path("versions").get(0).path("version").asInt()).isEqualTo(1);
        assertThat(page2.path("nextPageToken").isMissingNode() || page2.path("nextPageToken").isNull()).isTrue();
        assertThat(api.get(models(name) + "/versions?limit=0").error()).isEqualTo("invalid_argument");

        assertThat(api.patch(models(name) + "/versions/1", Map.of("description", "baseline")).body()
                .path("description").asText()).isEqualTo("baseline");
        assertThat(api.put(models(name) + "/versions/1/tags/validated", Map.of("value", "yes")).body()
                .path("tags").path("validated").asText()).isEqualTo("yes");
        assertThat(api.delete(models(name) + "/versions/1/tags/validated").body().path("tags").size()).isZero();
        api.post(models(name) + "/versions/1/stage", Map.of("stage", "staging"));
        RegistryApi.Answer staged = api.post(models(name) + "/versions/2/stage", Map.of("stage", "Staging",
                "archiveExistingVersions", true));
        assertThat(staged.body().path("stage").asText()).isEqualTo("Staging");
        assertThat(api.get(models(name) + "/versions/1").body().path("stage").asText()).isEqualTo("Archived");

        assertThat(api.post(models(name) + "/versions/2/stage", Map.of("stage", "Live")).error())
                .isEqualTo("invalid_argument");
        assertThat(api.get(models(name) + "/versions/9").error()).isEqualTo("version_not_found");
        assertThat(api.get(models(name) + "/versions/x").error()).isEqualTo("invalid_argument");
        RegistryApi.Answer noModel = api.post(models(unique("none")) + "/versions", Map.of("artifactLocation", "a"));
        assertThat(noModel.status()).isEqualTo(404);
        assertThat(noModel.error()).isEqualTo("model_not_found");
    }

    @Test
    void aliasesMovePromoteWaitForApprovalRollBackAndKeepTheirHistory() {
        String name = modelWithVersions(0.80, 0.85, 0.84);
        RegistryApi.Answer set = api.put(models(name) + "/aliases/champion", Map.of("version", 1, "reason", "first"),
                "alice", null);
        assertThat(set.status()).as(set.body().toString()).isEqualTo(200);
        assertThat(set.body().path("version").path("version").asInt()).isEqualTo(1);
        assertThat(set.body().path("kind").asText()).isEqualTo("SET");
        assertThat(api.get(models(name) + "/aliases/champion").body()).isEqualTo(set.body());
        RegistryApi.Answer unchanged = api.put(models(name) + "/aliases/champion", Map.of("version", 1));
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.body()).isEqualTo(set.body());

        RegistryApi.Answer promoted = api.post(models(name) + "/promotions", Map.of("version", 2, "metric", "auc",
                "direction", "greater", "minAbsoluteImprovement", 0.01), "alice", null);
        assertThat(promoted.body().path("outcome").asText()).as(promoted.body().toString()).isEqualTo("PROMOTED");
        assertThat(promoted.body().path("evaluation").path("holderVersion").asInt()).isEqualTo(1);
        RegistryApi.Answer declined = api.post(models(name) + "/promotions", Map.of("version", 3, "metric", "auc",
                "direction", "greater"));
        assertThat(declined.body().path("outcome").asText()).isEqualTo("DECLINED");
        assertThat(declined.body().path("evaluation").path("explanation").asText()).contains("not better");
        assertThat(api.get(models(name) + "/aliases/champion").body().path("version").path("version").asInt())
                .isEqualTo(2);

        assertThat(api.post(models(name) + "/aliases/champion/protection", Map.of("reason", "serving")).body()
                .path("protected").asBoolean()).isTrue();
        RegistryApi.Answer pending = api.post(models(name) + "/aliases/champion/rollback", Map.of("reason", "bad"),
                "alice", null);
        assertThat(pending.status()).isEqualTo(202);
        JsonNode request = pending.body().path("pendingRequest");
        assertThat(request.path("status").asText()).isEqualTo("PENDING");
        assertThat(request.path("version").asInt()).isEqualTo(1);
        String requestId = request.path("requestId").asText();
        assertThat(api.get(models(name) + "/approvals?status=pending").body().path("requests")).hasSize(1);

        RegistryApi.Answer self = api.post(models(name) + "/approvals/" + requestId + "/approve", null, "alice",
                null);
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.error()).isEqualTo("self_review");
        RegistryApi.Answer approved = api.post(models(name) + "/approvals/" + requestId + "/approve",
                Map.of("comment", "ok"), "bob", null);
        assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
        assertThat(approved.body().path("version").path("version").asInt()).isEqualTo(1);
        assertThat(approved.body().path("kind").asText()).isEqualTo("ROLLBACK");

        RegistryApi.Answer protectedDelete = api.delete(models(name) + "/aliases/champion");
        assertThat(protectedDelete.status()).isEqualTo(409);
        assertThat(protectedDelete.error()).isEqualTo("alias_protected");
        assertThat(api.delete(models(name) + "/aliases/champion/protection").body().path("protected").asBoolean())
                .isFalse();
        assertThat(api.delete(models(name) + "/aliases/champion").status()).isEqualTo(204);
        assertThat(api.get(models(name) + "/aliases/champion").error()).isEqualTo("alias_not_found");

        List<String> changes = new ArrayList<>();
        api.get(models(name) + "/aliases/champion/history").body().path("changes").forEach(c -> changes.add(
                text(c, "previousVersion") + "->" + text(c, "version") + " " + text(c, "kind")));
        assertThat(changes).containsExactly("null->1 SET", "1->2 PROMOTION", "2->1 ROLLBACK", "1->null null");
        assertThat(api.post(models(name) + "/aliases/never/rollback", null).error()).isEqualTo("no_alias_history");
    }

    @Test
    void aRetriedWriteWithTheSameIdempotencyKeyAnswersTheFirstOutcome() {
        String name = modelWithVersions(0.7);
        String key = UUID.randomUUID().toString();
        RegistryApi.Answer first = api.post(models(name) + "/versions", Map.of("artifactLocation", "s3://retry"),
                null, key);
        RegistryApi.Answer retry = api.post(models(name) + "/versions", Map.of("artifactLocation", "s3://retry"),
                null, key);
        assertThat(first.body().path("version").asInt()).isEqualTo(2);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(api.get(models(name)).body().path("latestVersion").asInt()).isEqualTo(2);

        String other = modelWithVersions();
        RegistryApi.Answer reused = api.post(models(other) + "/versions", Map.of("artifactLocation", "s3://x"),
                null, key);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.error()).isEqualTo("idempotency_key_reused");

        String rejectedKey = UUID.randomUUID().toString();
        assertThat(api.post("/api/v1/models", Map.of("name", name), null, rejectedKey).error())
                .isEqualTo("model_exists");
        assertThat(api.post("/api/v1/models", Map.of("name", name), null, rejectedKey).error())
                .as("the retry repeats the rejection").isEqualTo("model_exists");
    }

    @Test
    void retentionArchivesWhatThePolicyDoesNotKeep() {
        String name = modelWithVersions(0.1, 0.2, 0.3);
        assertThat(api.post(models(name) + "/retention/apply", null).error()).isEqualTo("no_retention_policy");
        RegistryApi.Answer policy = api.put(models(name) + "/retention", Map.of("keepLastVersions", 1));
        assertThat(policy.body().path("retention").path("keepLastVersions").asInt()).isEqualTo(1);
        RegistryApi.Answer applied = api.post(models(name) + "/retention/apply", null);
        assertThat(applied.status()).as(applied.body().toString()).isEqualTo(200);
        assertThat(applied.body().path("archivedVersions").toString()).isEqualTo("[1,2]");
        assertThat(api.get(models(name) + "/versions/2").body().path("stage").asText()).isEqualTo("Archived");
        assertThat(api.put(models(name) + "/retention", Map.of("keepLastVersions", 1, "keepNewerThan", "30 days"))
                .error()).isEqualTo("invalid_argument");

        // nothing left to archive: the command is decided into nothing, and the answer says so at once, not after
        // the write timeout (15 s)
        long start = System.nanoTime();
        RegistryApi.Answer nothing = api.post(models(name) + "/retention/apply", null);
        assertThat(nothing.status()).as(nothing.body().toString()).isEqualTo(200);
        assertThat(nothing.body().path("archivedVersions").toString()).isEqualTo("[]");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theRetentionTimerAppliesEveryPolicyAndIsDecidedOncePerInterval() {
        String name = modelWithVersions(0.1, 0.2, 0.3, 0.4);
        String untouched = modelWithVersions(0.1, 0.2); // no policy: never archived
        assertThat(api.put(models(name) + "/aliases/champion", Map.of("version", 1)).status()).isEqualTo(200);
        assertThat(api.put(models(name) + "/retention", Map.of("keepLastVersions", 1)).status()).isEqualTo(200);
        RetentionTimer timer = api.context().getBean(RegistryRuntime.class).retention();

        assertThat(timer.fire()).contains(name).doesNotContain(untouched);
        assertThat(timer.fire()).contains(name); // the same interval: the same command id, decided once

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(api.get(models(name) + "/versions/2").body().path("stage").asText()).isEqualTo("Archived");
            assertThat(api.get(models(name) + "/versions/3").body().path("stage").asText()).isEqualTo("Archived");
        });
        // kept: the alias holder (1) and the latest (4); the model without a policy keeps everything
        assertThat(api.get(models(name) + "/versions/1").body().path("stage").asText()).isEqualTo("None");
        assertThat(api.get(models(name) + "/versions/4").body().path("stage").asText()).isEqualTo("None");
        assertThat(api.get(models(untouched) + "/versions/1").body().path("stage").asText()).isEqualTo("None");
        List<String> archiving = api.get(models(name) + "/history").body().findValuesAsText("type").stream()
                .filter("VersionsArchived"::equals).toList();
        assertThat(archiving).as("one archive event although the timer fired twice").hasSize(1);
    }

    @Test
    void featureSetVersionsAreRegisteredWithTheirStatistics() {
        String name = unique("features");
        Map<String, Object> body = Map.of("description", "January", "dataLocation", "s3://f/jan",
                "schema", Map.of("features", List.of(Map.of("name", "tenure", "type", "NUMERIC"),
                        Map.of("name", "plan", "type", "categorical"))),
                "statistics", Map.of("rowCount", 100, "features", Map.of(
                        "tenure", Map.of("missing", 2, "histogram", Map.of("edges", List.of(0, 12, 60),
                                "counts", List.of(60, 38)), "quantiles", List.of(Map.of("p", 0.5, "value", 10))),
                        "plan", Map.of("missing", 5, "categories", Map.of("basic", 55, "pro", 40)))));
        RegistryApi.Answer created = api.post("/api/v1/feature-sets/" + name + "/versions", body, "alice", null);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.body().path("version").asInt()).isEqualTo(1);
        assertThat(created.body().path("schema").path("features").get(1).path("type").asText())
                .isEqualTo("CATEGORICAL");
        assertThat(created.body().path("statistics").path("features").path("tenure").path("histogram")
                .path("counts").toString()).isEqualTo("[60,38]");
        assertThat(api.get("/api/v1/feature-sets/" + name + "/versions/latest").body()).isEqualTo(created.body());
        boolean listed = false;
        for (JsonNode f : api.get("/api/v1/feature-sets").body().path("featureSets")) {
            listed |= f.path("name").asText().equals(name) && f.path("latestVersion").asInt() == 1;
        }
        assertThat(listed).isTrue();

        RegistryApi.Answer bad = api.post("/api/v1/feature-sets/" + name + "/versions", Map.of("dataLocation", "x",
                "schema", Map.of("features", List.of(Map.of("name", "tenure", "type", "NUMERIC"))),
                "statistics", Map.of("rowCount", 10, "features", Map.of())));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("invalid_argument");
        assertThat(bad.body().path("message").asText()).contains("tenure");
        assertThat(api.get("/api/v1/feature-sets/" + unique("none") + "/versions/latest").error())
                .isEqualTo("feature_set_not_found");
    }

    @Test
    void badRequestsSayWhatWasWrongAndHowToFixIt() {
        RegistryApi.Answer malformed = api.post("/api/v1/models", "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).isEqualTo("invalid_json");
        assertThat(malformed.body().path("message").asText()).contains("line 1");

        RegistryApi.Answer unknown = api.post("/api/v1/models", Map.of("name", "x", "colour", "red"));
        assertThat(unknown.error()).isEqualTo("invalid_argument");
        assertThat(unknown.body().path("message").asText()).contains("colour");

        RegistryApi.Answer missing = api.post("/api/v1/models", Map.of("description", "no name"));
        assertThat(missing.error()).isEqualTo("invalid_argument");
        assertThat(missing.body().path("message").asText()).isEqualTo("name is required");

        RegistryApi.Answer wrongType = api.put(models(modelWithVersions(0.5)) + "/aliases/champion",
                Map.of("version", "latest"));
        assertThat(wrongType.error()).isEqualTo("invalid_argument");
        assertThat(wrongType.body().path("problems").get(0).path("path").asText()).isEqualTo("/version");

        RegistryApi.Answer badName = api.post("/api/v1/models", Map.of("name", "a%b"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.error()).isEqualTo("invalid_name");

        RegistryApi.Answer tooLarge = api.post("/api/v1/models", Map.of("name", "big", "description",
                "x".repeat(RequestBodies.MAX_BODY_BYTES)));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.error()).isEqualTo("payload_too_large");
        assertThat(api.get(models("big")).status()).isEqualTo(404);
    }
}
