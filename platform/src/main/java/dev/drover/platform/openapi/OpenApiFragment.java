package dev.drover.platform.openapi;

import java.util.Map;

/**
 * One service's part of the API description: the OpenAPI document the micronaut-openapi annotation processor
 * generated from the service's controllers at compile time (a classpath resource under {@code META-INF/swagger/}),
 * plus JSON Schemas the document refers to by name but that live as files of their own.
 *
 * <p>A service declares its fragment as a bean that exists only while the service is enabled, so the document served
 * at {@code GET /api/v1/openapi.yaml} lists exactly the routes of the services this process runs: one service alone
 * serves its own part, the standalone JVM serves all of them merged ({@link OpenApiDocument}). Services never read
 * each other's fragments.
 *
 * @param service     the service's name, used in error messages and the document's description
 * @param resource    classpath location of the generated document, e.g. {@code META-INF/swagger/drover-scheduler.yml}
 * @param jsonSchemas component name → classpath location of a JSON Schema (draft 2020-12) that the document's
 *                    {@code #/components/schemas/<name>} references stand for; embedded as is, so the format has one
 *                    definition (e.g. the pipeline spec's {@code pipeline.schema.json})
 */
public record OpenApiFragment(String service, String resource, Map<String, String> jsonSchemas) {

    /** The location of the document micronaut-openapi writes for {@code -Amicronaut.openapi.filename=<name>}. */
    public static String generated(String filename) {
        return "META-INF/swagger/" + filename + ".yml";
    }
}
