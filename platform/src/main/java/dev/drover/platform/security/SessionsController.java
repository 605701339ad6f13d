package dev.drover.platform.security;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.Token;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Sessions for the web UI and other interactive clients: a short-lived API token that the signed-in caller issues to
 * itself (so a browser never keeps a password), and its revocation at sign-out. A session is an ordinary token: the
 * identity events record who signed in and out, and an admin sees and revokes sessions with the other tokens.
 */
@Controller("/api/v1/sessions")
@Tag(name = "security")
@Requires(property = "drover.security.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SessionsController {
    static final String DESCRIPTION = "web session";
    private final IdentityRuntime identities;
    private final IdentityWrites writes;

    public SessionsController(IdentityRuntime identities, IdentityWrites writes) {
        this.identities = identities;
        this.writes = writes;
    }

    @RequiresPermission(value = Permission.READ, anyScope = true)
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "startSession", summary = "Issue a session token to the caller (sign in)",
            responses = @ApiResponse(responseCode = "201", description = "the session: `token` is shown only here"))
    HttpResponse<Map<String, Object>> start(@Parameter(hidden = true) HttpRequest<?> request) {
        String account = IdentityWrites.by(request);
        Instant expires = Instant.now().plus(identities.settings().getSessionDuration());
        ApiTokens.Issued issued = ApiTokens.issue();
        writes.decide(new IdentityCommand.IssueToken(UUID.randomUUID().toString(), issued.id(), account,
                issued.secretHash(), expires, DESCRIPTION, account));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.id());
        out.put("account", account);
        out.put("expiresAt", expires.toString());
        out.put("token", issued.token());
        return HttpResponse.status(HttpStatus.CREATED).body(out);
    }

    @RequiresPermission(value = Permission.READ, anyScope = true)
    @Delete(uri = "/{tokenId}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "endSession", summary = "Revoke one of the caller's own session tokens (sign out)")
    Map<String, Object> end(@PathVariable String tokenId, @Parameter(hidden = true) HttpRequest<?> request) {
        String account = IdentityWrites.by(request);
        Token token = identities.identities().token(tokenId)
                .filter(t -> t.account().equals(account) && DESCRIPTION.equals(t.description()))
                .orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND, "unknown_session",
                        "you have no session of that id", "sign out with the id of your own session's token"));
        if (!token.revoked()) {
            writes.decide(new IdentityCommand.RevokeToken(UUID.randomUUID().toString(), tokenId, account));
        }
        return Map.of("id", tokenId, "revoked", true);
    }
}
