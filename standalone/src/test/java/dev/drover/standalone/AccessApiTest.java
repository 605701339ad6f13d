package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.embedded.EmbeddedIdentityProvider;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.RouteRules;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one enforcement point on a secured standalone, route by route from Micronaut's own route table: every route
 * but the health endpoint answers 401 without credentials, 403 to a role without its permission, and neither to a
 * role with it. Also: the first start's secrets on disk (owner-only), the admin API (accounts, roles, tokens),
 * revocation, and the principal recorded in events being the authenticated one, not a header.
 */
class AccessApiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Routes not called with a permitted role: they would change the running test (reload beans). */
    private static final Set<String> NOT_CALLED_PERMITTED = Set.of("POST /refresh");

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient admin;
    static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
    static EmbeddedIdentityProvider idp;
    /** A token of an account with every role, each scoped to a prefix that no resource of these tests has. */
    static String outOfScope;

    @BeforeAll
    static void start() throws Exception {
        idp = new EmbeddedIdentityProvider();
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir, Map.of(
                "drover.security.jwt.jwks-url", idp.url(),
                "drover.security.jwt.issuer", EmbeddedIdentityProvider.ISSUER,
                "drover.security.jwt.audience", EmbeddedIdentityProvider.AUDIENCE)));
        admin = drover.client();
        for (Role role : Role.values()) {
            String name = "acc-" + role.wireName();
            DroverClient.Response created = admin.post("/api/v1/admin/accounts", Map.of("name", name, "kind",
                    "person", "roles", List.of(Map.of("role", role.wireName()))));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
            DroverClient.Response token = admin.post("/api/v1/admin/accounts/" + name + "/tokens",
                    Map.of("description", "access test"));
            assertThat(token.status()).as(token.body().toString()).isEqualTo(201);
            TOKENS.put(role, token.body().path("token").asText());
        }
        List<Map<String, String>> everyRoleOutOfScope = new ArrayList<>();
        for (Role role : Role.values()) {
            everyRoleOutOfScope.add(Map.of("role", role.wireName(), "scope", "zzz-"));
        }
        assertThat(admin.post("/api/v1/admin/accounts", Map.of("name", "acc-out-of-scope", "kind", "person",
                "roles", everyRoleOutOfScope)).status()).isEqualTo(201);
        outOfScope = admin.post("/api/v1/admin/accounts/acc-out-of-scope/tokens", Map.of()).body().path("token")
                .asText();
    }

    @AfterAll
    static void stop() {
        if (idp != null) {
            idp.close();
        }
        if (drover != null) {
            drover.close();
            // the identity loop and view stop with the services, before the broker (not left polling a dead one)
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                    && (t.getName().startsWith("identity-view-") || t.getName().equals("identity-loop")
                    || t.getName().contains("drover-identity")));
        }
    }

    /** The status of a call; {@code form}: the route takes an HTML form (the web UI's), the others JSON. */
    private static int call(String method, String path, boolean form, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(drover.baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        b.method(method, body ? HttpRequest.BodyPublishers.ofString(form ? "" : "{}")
                : HttpRequest.BodyPublishers.noBody());
        if (body) {
            b.header("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        // the status only: a live page's event stream (the web UI's */live routes) does not end
        HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    /** A role without {@code p}, and the least role with it. */
    private static Role without(Permission p) {
        return p == Permission.READ ? Role.PUBLISHER : Role.VIEWER;
    }

    private static Role with(Permission p) {
        for (Role r : List.of(Role.VIEWER, Role.PUBLISHER, Role.OPERATOR, Role.AUTHOR, Role.MODEL_MAINTAINER,
                Role.APPROVER, Role.ADMIN)) {
            if (r.allows(p)) {
                return r;
            }
        }
        throw new AssertionError(p);
    }

    @Test
    void everyRouteIsClosedToAnonymousAndWrongRolesAndOpenToTheRightOne() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (UriRouteInfo<?, ?> route : drover.context().getBean(Router.class).uriRoutes().toList()) {
            HttpMethod method = route.getHttpMethod();
            if (method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
                continue;
            }
            String template = route.getUriMatchTemplate().toPathString();
            String path = template.replaceAll("\\{[^}]+}", "t1");
            String name = method + " " + template;
            boolean form = route.getConsumes().contains(io.micronaut.http.MediaType.APPLICATION_FORM_URLENCODED_TYPE);
            RouteRules.Rule rule = RouteRules.of(route.getTargetMethod().getAnnotationMetadata()).orElseThrow(
                    () -> new AssertionError(name + " has no rule (RouteRulesTest says which)"));
            if (rule.open()) {
                int open = call(method.name(), path, form, null);
                if (open == 401 || open == 403) {
                    wrong.add(name + ": open route answered " + open);
                }
                continue;
            }
            checked++;
            int anonymous = call(method.name(), path, form, null);
            // a page of the web UI sends a browser without a session to the sign-in page
            int refused = rule.page() ? 303 : 401;
            if (anonymous != refused) {
                wrong.add(name + ": anonymous got " + anonymous + ", not " + refused);
            }
            int forbidden = call(method.name(), path, form, TOKENS.get(without(rule.permission())));
            if (forbidden != 403) {
                wrong.add(name + ": " + without(rule.permission()).wireName() + " got " + forbidden + ", not 403");
            }
            int scoped = call(method.name(), path, form, outOfScope);
            if (rule.anyScope() ? (scoped == 401 || scoped == 403) : scoped != 403) {
                wrong.add(name + ": every role scoped to zzz- got " + scoped);
            }
            if (!NOT_CALLED_PERMITTED.contains(name)) {
                int permitted = call(method.name(), path, form, TOKENS.get(with(rule.permission())));
                // 501: MLflow operations Drover does not offer (docs/mlflow-compatibility.md), refused by design
                if (permitted == 401 || permitted == 403 || (permitted >= 500 && permitted != 501)) {
                    wrong.add(name + ": " + with(rule.permission()).wireName() + " got " + permitted);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void theFirstStartLeavesOwnerOnlySecretsAndTheAdminCanSignInWithEither() throws Exception {
        for (String file : List.of("admin-password", "admin-token", "service-token")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dataDir.resolve(file));
            assertThat(perms).as(file).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
        }
        String password = Files.readString(dataDir.resolve("admin-password")).trim();
        HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(URI.create(drover.baseUrl() + "/api/v1/me"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("admin:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(200);
        assertThat(basic.body()).contains("\"name\":\"admin\"").contains("\"admin\"");
        JsonNode me = admin.get("/api/v1/me").body();
        assertThat(me.path("name").asText()).isEqualTo("admin");
        assertThat(me.path("permissions").toString()).contains("admin", "read", "author");
        // what is kept is a hash: no event or answer holds the token or the password
        JsonNode account = admin.get("/api/v1/admin/accounts/admin").body();
        assertThat(account.toString()).doesNotContain(password).doesNotContain(drover.adminToken());
    }

    @Test
    void aSignedJwtOfTheConfiguredProviderSignsInWithTheRolesItCarries() throws Exception {
        DroverClient alice = drover.client().as(idp.token("alice@example.org", java.util.List.of("operator",
                "author:team-a-", "some-other-group")));
        JsonNode me = alice.get("/api/v1/me").body();
        assertThat(me.path("name").asText()).isEqualTo("alice@example.org");
        assertThat(me.path("roles").toString()).contains("operator", "team-a-").doesNotContain("some-other-group");
        // PUT names the pipeline in the path, which a scoped grant is checked against
        assertThat(alice.put("/api/v1/pipelines/team-a-jwt", Map.of("id", "team-a-jwt", "tasks",
                java.util.List.of(Map.of("id", "t", "type", "noop")))).status())
                .as("author within the scope").isEqualTo(201);
        assertThat(alice.put("/api/v1/pipelines/team-b-jwt", Map.of("id", "team-b-jwt", "tasks",
                java.util.List.of(Map.of("id", "t", "type", "noop")))).status())
                .as("author outside the scope").isEqualTo(403);
        DroverClient.Response run = alice.startRun("team-a-jwt", Map.of());
        assertThat(run.status()).as(run.body().toString()).isEqualTo(201);
        org.awaitility.Awaitility.await("the run records the provider's user").atMost(Duration.ofSeconds(30))
                .until(() -> admin.get("/api/v1/pipelines/team-a-jwt/runs").body().toString()
                        .contains("\"requestedBy\":\"alice@example.org\""));

        assertThat(drover.client().as(idp.forged("mallory", java.util.List.of("admin"))).get("/api/v1/me").status())
                .isEqualTo(401);
        assertThat(drover.client().as(idp.token("bob", java.util.List.of("admin"), b -> b.audience("other-app")))
                .get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aTeamsScopedGrantsCoverItsRunsByIdItsFilteredListsAndWritesThatNameItInTheBody() throws Exception {
        assertThat(admin.post("/api/v1/admin/accounts", Map.of("name", "team-a", "kind", "person", "roles", List.of(
                Map.of("role", "author", "scope", "team-a-"), Map.of("role", "operator", "scope", "team-a-"),
                Map.of("role", "model-maintainer", "scope", "team-a-")))).status()).isEqualTo(201);
        DroverClient teamA = admin.as(admin.post("/api/v1/admin/accounts/team-a/tokens", Map.of()).body()
                .path("token").asText());

        // POST /pipelines names the pipeline only in the spec: YAML and JSON
        assertThat(teamA.registerPipeline("id: team-a-body\ntasks:\n  - {id: t, type: noop}\n").status())
                .as("YAML spec within the scope").isEqualTo(201);
        DroverClient.Response outside = teamA.registerPipeline("id: team-b-body\ntasks:\n  - {id: t, type: noop}\n");
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.body().path("message").asText()).contains("on team-b-body");
        assertThat(teamA.post("/api/v1/pipelines", Map.of("id", "team-b-json", "tasks", List.of(Map.of("id", "t",
                "type", "noop")))).status()).as("JSON spec outside the scope").isEqualTo(403);
        HttpResponse<String> twice = HTTP.send(HttpRequest.newBuilder(URI.create(drover.baseUrl()
                        + "/api/v1/pipelines")).header("Authorization", "Bearer " + teamA.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\": \"team-a-x\", \"tasks\": [{\"id\": \"t\", \"type\": \"noop\"}], \"id\": \"team-b-x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(twice.statusCode()).as("a body naming two pipelines").isEqualTo(403);
        assertThat(admin.get("/api/v1/pipelines/team-b-body").status()).isEqualTo(404);

        // runs by id name their pipeline in the id's beginning
        String own = teamA.startRun("team-a-body", Map.of()).body().path("runId").asText();
        admin.registerPipeline("id: team-b-other\ntasks:\n  - {id: t, type: noop}\n");
        String theirs = admin.startRun("team-b-other", Map.of()).body().path("runId").asText();
        assertThat(teamA.get("/api/v1/runs/" + own).status()).isNotIn(401, 403);
        assertThat(teamA.get("/api/v1/runs/" + own + "/events").status()).isEqualTo(200);
        assertThat(teamA.post("/api/v1/runs/" + own + "/cancel", Map.of()).status()).isNotIn(401, 403);
        assertThat(teamA.get("/api/v1/runs/" + theirs).status()).isEqualTo(403);
        assertThat(teamA.post("/api/v1/runs/" + theirs + "/cancel", Map.of()).status()).isEqualTo(403);
        assertThat(teamA.post("/api/v1/runs/" + theirs + "/tasks/t/clear", Map.of()).status()).isEqualTo(403);

        // a list: named by its filter, or refused with words that say how to name it
        assertThat(teamA.get("/api/v1/runs?pipeline=team-a-body").status()).isEqualTo(200);
        DroverClient.Response all = teamA.get("/api/v1/runs");
        assertThat(all.status()).isEqualTo(403);
        assertThat(all.body().path("fix").asText()).contains("'pipeline' parameter");
        assertThat(teamA.get("/api/v1/me").status()).as("about the caller: any scope will do").isEqualTo(200);

        // models, natively and over the MLflow API, whose writes name the model in the body
        assertThat(teamA.post("/api/v1/models", Map.of("name", "team-a-model")).status()).isEqualTo(201);
        assertThat(teamA.post("/api/v1/models", Map.of("name", "team-b-model")).status()).isEqualTo(403);
        assertThat(teamA.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "team-a-mlflow"))
                .status()).isEqualTo(200);
        DroverClient.Response mlflowOutside = teamA.post("/api/2.0/mlflow/registered-models/create",
                Map.of("name", "team-b-mlflow"));
        assertThat(mlflowOutside.status()).isEqualTo(403);
        assertThat(teamA.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "team-b-model",
                "source", "s3://b/m")).status()).isEqualTo(403);
        assertThat(teamA.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "team-a-mlflow",
                "source", "s3://a/m")).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/models/team-b-mlflow").status()).isEqualTo(404);
    }

    @Test
    void anAdminListsWhoDidWhatAcrossTheServices() {
        DroverClient operator = drover.client().as(TOKENS.get(Role.OPERATOR));
        DroverClient maintainer = drover.client().as(TOKENS.get(Role.MODEL_MAINTAINER));
        assertThat(admin.registerPipeline("id: audited\ntasks:\n  - {id: t, type: noop}\n").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/admin/accounts", Map.of("name", "audit-subject")).status()).isEqualTo(201);
        assertThat(admin.put("/api/v1/admin/secrets/audited_secret", Map.of("value", "audit-secret-value")).status())
                .isEqualTo(201);
        String runId = operator.startRun("audited", Map.of()).body().path("runId").asText();
        assertThat(maintainer.post("/api/v1/models", Map.of("name", "audited-model")).status()).isEqualTo(201);

        org.awaitility.Awaitility.await("the audit has every service's entries").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    String byOperator = admin.get("/api/v1/admin/audit?by=acc-operator").body().toString();
                    assertThat(byOperator).contains("\"service\":\"scheduler\"", "run started", runId)
                            .doesNotContain("audit-subject");
                    assertThat(admin.get("/api/v1/admin/audit?by=acc-model-maintainer").body().toString())
                            .contains("\"service\":\"registry\"", "ModelCreated", "audited-model");
                    String byAdmin = admin.get("/api/v1/admin/audit?by=admin&limit=1000").body().toString();
                    assertThat(byAdmin).contains("pipeline registered", "audited revision 1", "account created",
                            "audit-subject", "secret set", "audited_secret").doesNotContain("audit-secret-value");
                });
        JsonNode newest = admin.get("/api/v1/admin/audit?limit=2").body();
        assertThat(newest).hasSize(2);
        assertThat(newest.get(0).path("at").asText()).isGreaterThanOrEqualTo(newest.get(1).path("at").asText());
        assertThat(admin.get("/api/v1/admin/audit?since=yesterday").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/admin/audit?since=%2B1000000000-01-01T00:00:00Z").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/admin/audit?since=2999-01-01T00:00:00Z").body()).isEmpty();
        assertThat(operator.get("/api/v1/admin/audit").status()).isEqualTo(403);
    }

    @Test
    void anonymousAnswersSayWhatIsMissingAndChallenge() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(drover.baseUrl() + "/api/v1/pipelines"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .contains("Bearer").contains("Basic"));
        assertThat(r.body()).contains("\"error\":\"unauthenticated\"").contains("read").contains("\"fix\"");
        DroverClient viewer = admin.as(TOKENS.get(Role.VIEWER));
        DroverClient.Response denied = viewer.post("/api/v1/pipelines/x/runs", Map.of());
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().path("error").asText()).isEqualTo("forbidden");
        assertThat(denied.body().path("message").asText()).contains("operate");
        assertThat(denied.body().path("fix").asText()).contains("operator");
        for (String header : List.of("Bearer nonsense", "Bearer drv_aaaaaaaaaaaaaaaa_" + "A".repeat(43), "Basic !!!",
                "Digest x")) {
            DroverClient.Response bad = admin.send("GET", "/api/v1/pipelines", null, Map.of());
            assertThat(bad.status()).isEqualTo(200);
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(drover.baseUrl()
                    + "/api/v1/pipelines")).header("Authorization", header).build(), HttpResponse.BodyHandlers
                    .ofString());
            assertThat(refused.statusCode()).as(header).isEqualTo(401);
            assertThat(refused.body()).as(header).contains("\"fix\"");
        }
    }

    @Test
    void aRevokedTokenStopsWorkingAndTheLastAdminStays() {
        DroverClient.Response created = admin.post("/api/v1/admin/accounts", Map.of("name", "short-lived",
                "kind", "service", "roles", List.of(Map.of("role", "viewer"))));
        assertThat(created.status()).isEqualTo(201);
        JsonNode issued = admin.post("/api/v1/admin/accounts/short-lived/tokens", Map.of()).body();
        DroverClient user = admin.as(issued.path("token").asText());
        DroverClient.Response before = user.get("/api/v1/pipelines");
        assertThat(before.status()).as(issued + " -> " + before.body()).isEqualTo(200);
        assertThat(admin.send("DELETE", "/api/v1/admin/tokens/" + issued.path("tokenId").asText(), null,
                Map.of()).status()).isEqualTo(200);
        assertThat(user.get("/api/v1/pipelines").status()).isEqualTo(401);

        // two admins (admin, acc-admin): one may lose the role, the last may not
        assertThat(admin.send("DELETE", "/api/v1/admin/accounts/acc-admin/roles/admin", null, Map.of()).status())
                .isEqualTo(200);
        DroverClient.Response lastAdmin = admin.send("DELETE", "/api/v1/admin/accounts/admin/roles/admin", null,
                Map.of());
        assertThat(lastAdmin.status()).isEqualTo(409);
        assertThat(lastAdmin.body().path("error").asText()).isEqualTo("last_admin");
        assertThat(admin.post("/api/v1/admin/accounts/acc-admin/roles", Map.of("role", "admin")).status())
                .isEqualTo(200);
        assertThat(admin.post("/api/v1/admin/accounts/admin/roles", Map.of("role", "root")).status())
                .isEqualTo(400);
        assertThat(admin.post("/api/v1/admin/accounts", Map.of("name", "short-lived")).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/admin/accounts/nobody/tokens", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void eventsRecordTheAuthenticatedPrincipalNotTheHeader() {
        String yaml = """
                id: access-principal
                tasks:
                  - id: only
                    type: noop
                """;
        DroverClient author = admin.as(TOKENS.get(Role.AUTHOR));
        DroverClient.Response registered = author.registerPipeline(yaml);
        assertThat(registered.ok()).as(registered.body().toString()).isTrue();
        DroverClient operator = admin.as(TOKENS.get(Role.OPERATOR));
        DroverClient.Response started = operator.send("POST", "/api/v1/pipelines/access-principal/runs",
                Map.of("parameters", Map.of()), Map.of("X-Drover-User", "someone-else"));
        assertThat(started.ok()).as(started.body().toString()).isTrue();
        String runId = started.body().path("runId").asText();
        JsonNode run = admin.awaitRun(runId, Duration.ofMinutes(1));
        assertThat(run.path("requestedBy").asText()).isEqualTo("acc-operator");
        assertThat(admin.get("/api/v1/runs/" + runId + "/events").body().toString()).doesNotContain("someone-else");
    }

    @Test
    void guessingPasswordsIsCutOffPerAccountWhileTokensGoOnWorking() throws Exception {
        String guess = "Basic " + java.util.Base64.getEncoder().encodeToString("guess-target:wrong-password"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(HTTP.send(HttpRequest.newBuilder(URI.create(drover.baseUrl() + "/api/v1/me"))
                    .header("Authorization", guess).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertThat(statuses.subList(0, 10)).containsOnly(401);
        assertThat(statuses.subList(10, 12)).containsOnly(429);
        assertThat(admin.get("/api/v1/me").status()).as("the same address with a token").isEqualTo(200);
    }

    @Test
    void anExpiredTokenStopsWorkingEvenAfterItWasProvedOnce() {
        DroverClient.Response created = admin.post("/api/v1/admin/accounts", Map.of("name", "brief",
                "kind", "service", "roles", List.of(Map.of("role", "viewer"))));
        assertThat(created.status()).isEqualTo(201);
        String expires = java.time.Instant.now().plusSeconds(3).toString();
        JsonNode issued = admin.post("/api/v1/admin/accounts/brief/tokens", Map.of("expiresAt", expires)).body();
        DroverClient brief = admin.as(issued.path("token").asText());
        assertThat(brief.get("/api/v1/pipelines").status()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> brief.get("/api/v1/pipelines").status() == 401);
    }
}
