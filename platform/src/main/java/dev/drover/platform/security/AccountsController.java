package dev.drover.platform.security;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.TextRules;
import dev.drover.platform.security.identity.Account;
import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.Token;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import static dev.drover.platform.security.IdentityWrites.bad;
import static dev.drover.platform.security.IdentityWrites.by;
import static dev.drover.platform.security.IdentityWrites.commandId;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts, grants and API tokens over REST (admins only), and {@code GET /api/v1/me} for anyone signed in. Writes
 * are identity commands decided by the identity loop; each answers once this instance's view holds the outcome, so a
 * token issued here works at once here (and on other instances as soon as they read the event: milliseconds).
 * Secrets are never stored or shown again: a password only as its bcrypt hash, a token once, in the answer that
 * issued it.
 */
@Controller("/api/v1")
@Tag(name = "security")
@Requires(property = "drover.security.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountsController {
    private static final int MIN_PASSWORD = 12;
    private static final int MAX_PASSWORD = 200;
    private final IdentityRuntime identities;
    private final IdentityWrites writes;
    private final PasswordHasher passwords;

    public AccountsController(IdentityRuntime identities, IdentityWrites writes, PasswordHasher passwords) {
        this.identities = identities;
        this.writes = writes;
        this.passwords = passwords;
    }

    /** A new account: its name, {@code person} or {@code service}, an optional password and roles. */
    @Serdeable
    public record NewAccount(@Schema(description = "lower-case letters, digits and . _ @ -; e.g. an e-mail address")
                             String name,
                             @Schema(description = "person (signs in with a password or a token) or service "
                                     + "(tokens only)", allowableValues = {"person", "service"}) @Nullable String kind,
                             @Schema(description = "at least 12 characters; only its bcrypt hash is kept")
                             @Nullable String password,
                             @Nullable List<GrantRequest> roles) {
    }

    /** A role, for everything or for the resources whose name starts with {@code scope}. */
    @Serdeable
    public record GrantRequest(@Schema(description = "viewer, publisher, operator, author, model-maintainer, "
            + "approver or admin") String role,
                               @Schema(description = "a pipeline-id or model-name prefix; empty or absent: all")
                               @Nullable String scope) {
    }

    @Serdeable
    public record PasswordRequest(String password) {
    }

    @Serdeable
    public record TokenRequest(@Schema(description = "what the token is for") @Nullable String description,
                               @Schema(description = "ISO-8601 instant; absent: until revoked") @Nullable
                               String expiresAt) {
    }

    @RequiresPermission(value = Permission.READ, anyScope = true)
    @Get(uri = "/me", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "whoAmI", summary = "The signed-in principal, its roles and permissions")
    Map<String, Object> me(HttpRequest<?> request) {
        Principal p = Principals.of(request).orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("roles", grants(p.grants()));
        List<String> permissions = new ArrayList<>();
        for (Permission perm : Permission.values()) {
            if (p.grants().stream().anyMatch(g -> g.role().allows(perm) && g.scope().isEmpty())) {
                permissions.add(perm.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
        }
        out.put("permissions", permissions);
        return out;
    }

    @RequiresPermission(Permission.ADMIN)
    @Post(uri = "/admin/accounts", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAccount", summary = "Create an account, with roles",
            responses = {@ApiResponse(responseCode = "201", description = "created"),
                    @ApiResponse(responseCode = "4XX", description = "the account exists (409) or a value is wrong",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    HttpResponse<Map<String, Object>> create(@Body NewAccount body,
                                             @Parameter(hidden = true) HttpRequest<?> request,
                                             @Nullable @Header("Idempotency-Key") String key) {
        AccountKind kind = kind(body.kind());
        List<Grant> grants = new ArrayList<>();
        for (GrantRequest g : body.roles() == null ? List.<GrantRequest>of() : body.roles()) {
            grants.add(grant(g));
        }
        String hash = body.password() == null ? null : passwords.hash(password(body.password()));
        String by = by(request);
        String id = commandId(key);
        writes.decide(new IdentityCommand.CreateAccount(id, body.name(), kind, hash, by));
        for (int i = 0; i < grants.size(); i++) {
            writes.decide(new IdentityCommand.GrantRole(id + "/grant-" + i, body.name(), grants.get(i), by));
        }
        return HttpResponse.status(HttpStatus.CREATED).body(account(identities.identities().account(body.name())
                .orElseThrow()));
    }

    @RequiresPermission(Permission.ADMIN)
    @Get(uri = "/admin/accounts", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAccounts", summary = "Every account with its roles (never a secret)")
    Map<String, Object> list() {
        List<Map<String, Object>> items = identities.identities().accounts().values().stream()
                .sorted(Comparator.comparing(Account::name)).map(AccountsController::account).toList();
        return Map.of("items", items);
    }

    @RequiresPermission(Permission.ADMIN)
    @Get(uri = "/admin/accounts/{name}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAccount", summary = "One account with its roles and tokens (never a secret)")
    Map<String, Object> get(@PathVariable String name) {
        Map<String, Object> out = account(known(name));
        out.put("tokens", identities.identities().tokens().values().stream()
                .filter(t -> t.account().equals(name)).sorted(Comparator.comparing(Token::issuedAt))
                .map(AccountsController::token).toList());
        return out;
    }

    @RequiresPermission(Permission.ADMIN)
    @Put(uri = "/admin/accounts/{name}/password", consumes = MediaType.APPLICATION_JSON,
            produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "setAccountPassword", summary = "Set an account's password")
    Map<String, Object> setPassword(@PathVariable String name, @Body PasswordRequest body,
                                    @Parameter(hidden = true) HttpRequest<?> request,
                                    @Nullable @Header("Idempotency-Key") String key) {
        known(name);
        writes.decide(new IdentityCommand.SetPassword(commandId(key), name, passwords.hash(password(body.password())),
                by(request)));
        return account(known(name));
    }

    @RequiresPermission(Permission.ADMIN)
    @Post(uri = "/admin/accounts/{name}/roles", consumes = MediaType.APPLICATION_JSON,
            produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "grantRole", summary = "Give an account a role (granting a held one changes nothing)")
    Map<String, Object> grantRole(@PathVariable String name, @Body GrantRequest body,
                                  @Parameter(hidden = true) HttpRequest<?> request,
                                  @Nullable @Header("Idempotency-Key") String key) {
        writes.decide(new IdentityCommand.GrantRole(commandId(key), name, grant(body), by(request)));
        return account(known(name));
    }

    @RequiresPermission(Permission.ADMIN)
    @Delete(uri = "/admin/accounts/{name}/roles/{role}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "revokeRole", summary = "Take a role from an account (the last admin keeps it)")
    Map<String, Object> revokeRole(@PathVariable String name, @PathVariable String role,
                                   @Parameter(description = "the grant's scope; absent: the unscoped grant")
                                   @Nullable @QueryValue String scope,
                                   @Parameter(hidden = true) HttpRequest<?> request,
                                   @Nullable @Header("Idempotency-Key") String key) {
        writes.decide(new IdentityCommand.RevokeRole(commandId(key), name, grant(new GrantRequest(role, scope)),
                by(request)));
        return account(known(name));
    }

    @RequiresPermission(Permission.ADMIN)
    @Post(uri = "/admin/accounts/{name}/disable", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "disableAccount", summary = "Disable an account: it and its tokens stop working")
    Map<String, Object> disable(@PathVariable String name, @Parameter(hidden = true) HttpRequest<?> request,
                                @Nullable @Header("Idempotency-Key") String key) {
        writes.decide(new IdentityCommand.DisableAccount(commandId(key), name, by(request)));
        return account(known(name));
    }

    @RequiresPermission(Permission.ADMIN)
    @Post(uri = "/admin/accounts/{name}/tokens", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueToken", summary = "Issue an API token; the answer is the only place it is shown",
            responses = {@ApiResponse(responseCode = "201", description = "issued: keep `token` now")})
    HttpResponse<Map<String, Object>> issueToken(@PathVariable String name, @Nullable @Body TokenRequest body,
                                                 @Parameter(hidden = true) HttpRequest<?> request) {
        Instant expires = null;
        if (body != null && body.expiresAt() != null) {
            try {
                expires = Instant.parse(body.expiresAt());
            } catch (DateTimeParseException e) {
                throw bad("invalid_expiry", "expiresAt is not an ISO-8601 instant", "send e.g. "
                        + "2027-01-31T00:00:00Z, or leave it out for a token that lives until revoked");
            }
        }
        ApiTokens.Issued issued = ApiTokens.issue();
        // no idempotency key here: a repeated request must not hand out a token it could not show again
        writes.decide(new IdentityCommand.IssueToken(UUID.randomUUID().toString(), issued.id(), name, issued.secretHash(),
                expires, body == null || body.description() == null ? "" : body.description(), by(request)));
        Map<String, Object> out = token(identities.identities().token(issued.id()).orElseThrow());
        out.put("token", issued.token());
        return HttpResponse.status(HttpStatus.CREATED).body(out);
    }

    @RequiresPermission(Permission.ADMIN)
    @Get(uri = "/admin/tokens", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listTokens", summary = "Every API token (ids and owners, never the secret)")
    Map<String, Object> tokens() {
        return Map.of("items", identities.identities().tokens().values().stream()
                .sorted(Comparator.comparing(Token::issuedAt)).map(AccountsController::token).toList());
    }

    @RequiresPermission(Permission.ADMIN)
    @Delete(uri = "/admin/tokens/{tokenId}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "revokeToken", summary = "Revoke an API token on every service")
    Map<String, Object> revoke(@PathVariable String tokenId, @Parameter(hidden = true) HttpRequest<?> request,
                               @Nullable @Header("Idempotency-Key") String key) {
        writes.decide(new IdentityCommand.RevokeToken(commandId(key), tokenId, by(request)));
        return token(identities.identities().token(tokenId).orElseThrow());
    }

    private Account known(String name) {
        return identities.identities().account(name).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
                "unknown_account", "there is no account of that name", "list accounts with GET /api/v1/admin/accounts"));
    }

    private static AccountKind kind(String kind) {
        if (kind == null || kind.equalsIgnoreCase("person")) {
            return AccountKind.PERSON;
        }
        if (kind.equalsIgnoreCase("service")) {
            return AccountKind.SERVICE;
        }
        throw bad("invalid_account_kind", "kind must be person or service", "send \"kind\": \"person\" or "
                + "\"service\"");
    }

    private static Grant grant(GrantRequest g) {
        Role role = Role.byName(g == null ? null : g.role()).orElseThrow(() -> bad("unknown_role",
                "there is no such role", "use one of viewer, publisher, operator, author, model-maintainer, "
                        + "approver, admin (docs/security.md)"));
        return new Grant(role, g.scope());
    }

    private static String password(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw bad("invalid_password", "a password is " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters",
                    "choose a longer password (a passphrase is fine)");
        }
        Optional<String> p = TextRules.freeText(password, MAX_PASSWORD);
        if (p.isPresent()) {
            throw bad("invalid_password", "the password contains characters Drover does not accept (control "
                    + "characters or unpaired surrogates)", "choose another password");
        }
        return password;
    }

    private static Map<String, Object> account(Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.name());
        out.put("kind", a.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("disabled", a.disabled());
        out.put("hasPassword", a.passwordHash() != null);
        out.put("roles", grants(a.grants()));
        return out;
    }

    private static List<Map<String, Object>> grants(java.util.Set<Grant> grants) {
        return grants.stream().sorted(Comparator.comparing((Grant g) -> g.role().wireName())
                        .thenComparing(Grant::scope))
                .map(g -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("role", g.role().wireName());
                    m.put("scope", g.scope());
                    return m;
                }).toList();
    }

    private static Map<String, Object> token(Token t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokenId", t.id());
        out.put("account", t.account());
        out.put("description", t.description());
        out.put("issuedAt", t.issuedAt().toString());
        out.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        out.put("revoked", t.revoked());
        return out;
    }
}
