package dev.drover.platform.openapi;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Serves the OpenAPI 3.1 document of the services this process runs ({@link OpenApiDocument}). Every service has
 * this route, at the same path, whether it runs alone or with the others in one JVM.
 */
@Controller("/api/v1")
@Tag(name = "api")
public class OpenApiController {
    /** RFC 9512's media type for YAML. */
    public static final String APPLICATION_YAML = "application/yaml";
    private final OpenApiDocument document;

    OpenApiController(OpenApiDocument document) {
        this.document = document;
    }

    @RequiresPermission(Permission.READ)
    @Get(uri = "/openapi.yaml", produces = APPLICATION_YAML)
    @Operation(operationId = "getOpenApiDocument", summary = "This API's OpenAPI 3.1 document",
            description = "Generated from the code at build time; lists every route of the services this process "
                    + "runs (in the standalone JVM: all of them).",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the document",
                            content = @Content(mediaType = APPLICATION_YAML, schema = @Schema(type = "string"))),
                    // declares the platform's error body once, as a component every service's operations refer to
                    @ApiResponse(responseCode = "4XX", description = OpenApiMerge.ERROR_DESCRIPTION,
                            content = @Content(mediaType = "application/json",
                                    schema = @Schema(implementation = ApiError.class)))})
    String document() {
        return document.yaml();
    }
}
