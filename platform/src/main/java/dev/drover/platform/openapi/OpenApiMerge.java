package dev.drover.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the services' generated OpenAPI 3.0 documents into one OpenAPI 3.1 document. Pure functions over Jackson
 * trees, so the rules can be tested without a server.
 *
 * <p>Why 3.1 out of 3.0 in: micronaut-openapi 6.19's 3.1 writer describes every {@code @Nullable} field as
 * {@code type: [string, "null", object]} and a nullable map as {@code type: "null"} (only null allowed), which would
 * make a schema-driven client generate the wrong inputs; its 3.0 output is right. The served document is 3.1 because
 * the pipeline spec's JSON Schema uses draft 2020-12 ({@code if}/{@code then}, {@code unevaluatedProperties},
 * {@code prefixItems}), which only 3.1 can embed unchanged. The conversion is the few rules 3.0 and 3.1 differ in for
 * what the generator emits: {@code nullable}, boolean {@code exclusiveMinimum}/{@code exclusiveMaximum}.
 *
 * <p>Every operation that declares no error response ({@code default}, {@code 4XX}, {@code 5XX} or a 4xx/5xx code)
 * gets Drover's error body as its {@code default} ({@code ApiError}, the platform's type, declared by the platform's
 * own part): that is what every route answers on an error unless it says otherwise (the MLflow-compatible routes
 * declare MLflow's). {@code AnyValue}, "any JSON value", is declared here too: micronaut-openapi describes
 * {@code java.lang.Object} as {@code type: object}, which would forbid strings, numbers and arrays, so annotations
 * refer to {@code #/components/schemas/AnyValue} instead.
 *
 * <p>Two services describing the same operation, the same operation id, or one component name with two different
 * definitions is a bug of the build, not something to resolve silently: {@link IllegalStateException}.
 */
final class OpenApiMerge {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String ERROR_DESCRIPTION = "an error: what was wrong, where, and how to fix the call";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    /** One service's generated document, its name, and the JSON Schemas to embed as components. */
    record Part(String service, JsonNode document, Map<String, JsonNode> jsonSchemas) {
    }

    private OpenApiMerge() {
    }

    static ObjectNode merge(List<Part> parts) {
        ObjectNode out = NODES.objectNode();
        out.put("openapi", "3.1.0");
        ObjectNode info = out.putObject("info");
        info.put("title", "Drover");
        info.put("version", "v1");
        List<String> services = parts.stream().map(Part::service).toList();
        info.put("description", "The REST API of the Drover services this process runs (" + String.join(", ", services)
                + "), generated from their code at build time. Errors have the body {error, message, problems, fix} "
                + "(docs/api.md), except on the MLflow-compatible routes, which answer MLflow's {error_code, message} "
                + "(docs/mlflow-compatibility.md).");
        Map<String, ObjectNode> tags = new LinkedHashMap<>();
        TreeMap<String, ObjectNode> paths = new TreeMap<>();
        Map<String, String> operationOwners = new LinkedHashMap<>();
        Map<String, String> operationIds = new LinkedHashMap<>();
        Map<String, Map<String, JsonNode>> components = new TreeMap<>();
        Map<String, String> componentOwners = new LinkedHashMap<>();
        for (Part part : parts) {
            for (JsonNode tag : part.document().path("tags")) {
                tags.putIfAbsent(tag.path("name").asText(), (ObjectNode) tag.deepCopy());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = part.document().path("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                ObjectNode item = paths.computeIfAbsent(path.getKey(), k -> NODES.objectNode());
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    String key = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                    if (METHODS.contains(op.getKey())) {
                        String owner = operationOwners.putIfAbsent(key, part.service());
                        if (owner != null) {
                            throw new IllegalStateException(key + " is described by both " + owner + " and "
                                    + part.service());
                        }
                        String id = op.getValue().path("operationId").asText(null);
                        if (id != null) {
                            String other = operationIds.putIfAbsent(id, key);
                            if (other != null) {
                                throw new IllegalStateException("operationId '" + id + "' is used by both " + other
                                        + " and " + key + " (" + part.service() + "): give one of them another "
                                        + "@Operation(operationId = ...)");
                            }
                        }
                    } else if (item.has(op.getKey()) && !item.get(op.getKey()).equals(op.getValue())) {
                        throw new IllegalStateException("path " + path.getKey() + " has two different '" + op.getKey()
                                + "' in " + part.service() + " and another service");
                    }
                    JsonNode copy = op.getValue().deepCopy();
                    if (METHODS.contains(op.getKey()) && copy.path("responses") instanceof ObjectNode responses
                            && !declaresErrors(responses)) {
                        responses.putObject("default").put("description", ERROR_DESCRIPTION)
                                .putObject("content").putObject("application/json").putObject("schema")
                                .put("$ref", "#/components/schemas/ApiError");
                    }
                    item.set(op.getKey(), copy);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = part.document().path("components").fields();
                 it.hasNext(); ) {
                Map.Entry<String, JsonNode> section = it.next();
                for (Iterator<Map.Entry<String, JsonNode>> cs = section.getValue().fields(); cs.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = cs.next();
                    addComponent(components, componentOwners, section.getKey(), c.getKey(), c.getValue().deepCopy(),
                            part.service());
                }
            }
        }
        addComponent(components, componentOwners, "schemas", "AnyValue",
                NODES.objectNode().put("description", "any JSON value"), "platform");
        if (!tags.isEmpty()) {
            ArrayNode t = out.putArray("tags");
            tags.values().forEach(t::add);
        }
        ObjectNode p = out.putObject("paths");
        paths.forEach(p::set);
        ObjectNode c = out.putObject("components");
        components.forEach((section, entries) -> {
            ObjectNode s = c.putObject(section);
            new TreeMap<>(entries).forEach(s::set);
        });
        to31(out);
        for (Part part : parts) {
            part.jsonSchemas().forEach((name, schema) -> embed(components, componentOwners, name, schema,
                    part.service()));
        }
        ObjectNode schemas = NODES.objectNode();
        new TreeMap<>(components.getOrDefault("schemas", Map.of())).forEach(schemas::set);
        c.set("schemas", schemas);
        return out;
    }

    private static boolean declaresErrors(ObjectNode responses) {
        for (Iterator<String> codes = responses.fieldNames(); codes.hasNext(); ) {
            String code = codes.next();
            if (code.equals("default") || code.startsWith("4") || code.startsWith("5")) {
                return true;
            }
        }
        return false;
    }

    private static void addComponent(Map<String, Map<String, JsonNode>> components, Map<String, String> owners,
                                     String section, String name, JsonNode value, String service) {
        Map<String, JsonNode> entries = components.computeIfAbsent(section, k -> new LinkedHashMap<>());
        JsonNode before = entries.putIfAbsent(name, value);
        if (before != null && !before.equals(value)) {
            throw new IllegalStateException("components/" + section + "/" + name + " is defined differently by "
                    + owners.get(section + "/" + name) + " and " + service + ": rename one of them");
        }
        owners.putIfAbsent(section + "/" + name, service);
    }

    /**
     * Converts, in place, what micronaut-openapi's 3.0 output says differently from 3.1. Parameters lose
     * {@code nullable} without gaining a {@code "null"} type: an absent query parameter or header is the null, and
     * no client can send a JSON null in a query string.
     */
    static void to31(ObjectNode document) {
        for (JsonNode item : document.path("paths")) {
            dropParameterNullability(item.path("parameters"));
            for (Iterator<Map.Entry<String, JsonNode>> ops = item.fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    dropParameterNullability(op.getValue().path("parameters"));
                }
            }
        }
        convertSchemas(document);
    }

    private static void dropParameterNullability(JsonNode parameters) {
        for (JsonNode parameter : parameters) {
            if (parameter.path("schema") instanceof ObjectNode schema) {
                schema.remove("nullable");
            }
        }
    }

    private static void convertSchemas(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode nullable = object.get("nullable");
            if (nullable != null && nullable.isBoolean()) {
                object.remove("nullable");
                if (nullable.booleanValue()) {
                    allowNull(object);
                }
            }
            exclusiveBound(object, "exclusiveMinimum", "minimum");
            exclusiveBound(object, "exclusiveMaximum", "maximum");
            List<JsonNode> children = new ArrayList<>();
            object.elements().forEachRemaining(children::add);
            children.forEach(OpenApiMerge::convertSchemas);
        } else if (node instanceof ArrayNode array) {
            array.forEach(OpenApiMerge::convertSchemas);
        }
    }

    private static void allowNull(ObjectNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            ArrayNode types = NODES.arrayNode().add(type.asText()).add("null");
            schema.set("type", types);
        } else if (type instanceof ArrayNode types) {
            boolean has = false;
            for (JsonNode t : types) {
                has |= t.asText().equals("null");
            }
            if (!has) {
                types.add("null");
            }
        } else if (schema.has("$ref") || schema.has("allOf") || schema.has("oneOf") || schema.has("anyOf")) {
            ObjectNode inner = NODES.objectNode();
            for (String k : List.of("$ref", "allOf", "oneOf", "anyOf")) {
                if (schema.has(k)) {
                    inner.set(k, schema.remove(k));
                }
            }
            schema.putArray("anyOf").add(inner).add(NODES.objectNode().put("type", "null"));
        }
    }

    private static void exclusiveBound(ObjectNode schema, String exclusive, String bound) {
        JsonNode flag = schema.get(exclusive);
        if (flag == null || !flag.isBoolean()) {
            return;
        }
        schema.remove(exclusive);
        if (flag.booleanValue() && schema.has(bound)) {
            schema.set(exclusive, schema.remove(bound));
        }
    }

    /**
     * Embeds a standalone JSON Schema as {@code components/schemas/<name>}: its {@code $defs} become components
     * {@code <name>.<def>} and its {@code #/$defs/...} references point there, because inside the OpenAPI document
     * {@code #} is the document, not the schema. {@code $schema} and {@code $id} go: 3.1's default dialect is the
     * same draft, and an {@code $id} would make references resolve against a URL nobody serves.
     */
    static void embed(Map<String, Map<String, JsonNode>> components, Map<String, String> owners, String name,
                      JsonNode schema, String service) {
        ObjectNode root = (ObjectNode) schema.deepCopy();
        root.remove("$schema");
        root.remove("$id");
        Map<String, JsonNode> defs = new LinkedHashMap<>();
        for (String key : List.of("$defs", "definitions")) {
            JsonNode d = root.remove(key);
            if (d != null) {
                String prefix = "#/" + key + "/";
                d.fields().forEachRemaining(e -> defs.put(e.getKey(), rewriteRefs(e.getValue(), prefix, name)));
                rewriteRefs(root, prefix, name);
            }
        }
        addComponent(components, owners, "schemas", name, root, service);
        defs.forEach((def, value) -> addComponent(components, owners, "schemas", name + "." + def, value, service));
    }

    private static JsonNode rewriteRefs(JsonNode node, String prefix, String name) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(prefix)) {
                object.put("$ref", "#/components/schemas/" + name + "." + ref.asText().substring(prefix.length()));
            }
            object.elements().forEachRemaining(child -> rewriteRefs(child, prefix, name));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> rewriteRefs(child, prefix, name));
        }
        return node;
    }
}
