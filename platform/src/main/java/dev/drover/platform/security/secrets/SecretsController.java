package dev.drover.platform.security.secrets;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.TextRules;
import dev.drover.platform.security.IdentityWrites;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.Secret;
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
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secrets over REST, for admins: set, list, delete. A value goes in once and never comes out: answers carry the
 * name, who set it and when, never the value. It is sealed here (AES-256-GCM, {@link SecretBox}) before it becomes
 * an identity command, so the topics hold only ciphertext. Pipelines refer to a secret as
 * {@code {{ secrets.NAME }}} (docs/security.md, "Secrets").
 */
@Controller("/api/v1/admin/secrets")
@Tag(name = "security")
@Requires(property = "drover.security.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SecretsController {
    /** 64 KiB: a PEM key or a service-account JSON fits. */
    static final int MAX_VALUE = 65_536;
    private final SecretStore secrets;
    private final IdentityWrites writes;

    public SecretsController(SecretStore secrets, IdentityWrites writes) {
        this.secrets = secrets;
        this.writes = writes;
    }

    @Serdeable
    public record SecretValue(@Schema(description = "the value, " + SecretMasker.MIN_LENGTH + " to " + MAX_VALUE
            + " characters; stored sealed, never shown again") String value) {
    }

    @RequiresPermission(Permission.ADMIN)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listSecrets", summary = "Every secret's name, who set it and when (never a value)")
    List<Map<String, Object>> list() {
        return secrets.names().stream().sorted(Comparator.naturalOrder())
                .map(n -> describe(secrets.secret(n).orElseThrow())).toList();
    }

    @RequiresPermission(Permission.ADMIN)
    @Get(uri = "/{name}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getSecret", summary = "Who set a secret and when (never its value)")
    Map<String, Object> get(@PathVariable String name) {
        return describe(known(name));
    }

    @RequiresPermission(Permission.ADMIN)
    @Put(uri = "/{name}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "setSecret", summary = "Create or replace a secret",
            responses = {@ApiResponse(responseCode = "201", description = "created"),
                    @ApiResponse(responseCode = "200", description = "replaced"),
                    @ApiResponse(responseCode = "4XX", description = "a wrong name or value",
                            content = @Content(schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "503", description = "this service has no secret key",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    HttpResponse<Map<String, Object>> set(@PathVariable String name, @Body SecretValue body,
                                          @Parameter(hidden = true) HttpRequest<?> request,
                                          @Nullable @Header("Idempotency-Key") String key) {
        if (!Secret.NAME.matcher(name).matches()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_secret_name", "a secret's name is 1 to 64 "
                    + "letters, digits and _, not starting with a digit", "name it e.g. warehouse_password, so that "
                    + "a pipeline can write {{ secrets.warehouse_password }}");
        }
        String value = value(body);
        SecretBox box;
        try {
            box = secrets.box();
        } catch (SecretUnavailable e) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "secrets_unavailable", e.getMessage(),
                    "configure the secret key on this service (docs/security.md, \"Secrets\")");
        }
        boolean existed = secrets.secret(name).isPresent();
        writes.decide(new IdentityCommand.SetSecret(IdentityWrites.commandId(key), name, box.keyId(),
                box.seal(name, value), IdentityWrites.by(request)));
        Map<String, Object> out = describe(known(name));
        return existed ? HttpResponse.ok(out) : HttpResponse.created(out);
    }

    @RequiresPermission(Permission.ADMIN)
    @Delete(uri = "/{name}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "deleteSecret", summary = "Delete a secret; tasks that use it fail until it is set again")
    Map<String, Object> delete(@PathVariable String name, @Parameter(hidden = true) HttpRequest<?> request,
                               @Nullable @Header("Idempotency-Key") String key) {
        writes.decide(new IdentityCommand.DeleteSecret(IdentityWrites.commandId(key), name,
                IdentityWrites.by(request)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("deleted", true);
        return out;
    }

    private static String value(SecretValue body) {
        String value = body == null ? null : body.value();
        if (value == null || value.strip().length() < SecretMasker.MIN_LENGTH || value.length() > MAX_VALUE) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_secret_value", "a secret's value is "
                    + SecretMasker.MIN_LENGTH + " to " + MAX_VALUE + " characters (shorter ones cannot be masked in "
                    + "logs without masking ordinary text)", "send {\"value\": \"...\"}");
        }
        TextRules.freeText(value).ifPresent(p -> {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_secret_value", "the value " + p,
                    "send the value as text (encode binary secrets, e.g. in base64)");
        });
        return value;
    }

    private Secret known(String name) {
        return secrets.secret(name).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND, "unknown_secret",
                "there is no secret of that name", "list secrets with GET /api/v1/admin/secrets"));
    }

    private static Map<String, Object> describe(Secret s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", s.name());
        out.put("keyId", s.keyId());
        out.put("setBy", s.setBy());
        out.put("setAt", s.setAt().toString());
        return out;
    }
}
