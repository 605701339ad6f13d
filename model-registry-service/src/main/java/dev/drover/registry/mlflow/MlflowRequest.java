package dev.drover.registry.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.platform.security.Principals;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one call on the MLflow routes, read the way MLflow's server reads them: a GET with a query string
 * takes its parameters from the query string (a repeated field such as {@code order_by} or {@code stages} from every
 * occurrence of its key, as the Python client sends lists), every other call from a JSON object in the body (an empty
 * body is an empty object). Typed accessors check each parameter and answer MLflow's
 * {@code INVALID_PARAMETER_VALUE} with a message that names the parameter.
 */
final class MlflowRequest {
    /** The header that names the principal when the call has no basic-auth user. */
    static final String PRINCIPAL_HEADER = "X-Drover-Principal";
    static final String ANONYMOUS = "anonymous";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode parameters;
    private final String principal;

    private MlflowRequest(ObjectNode parameters, String principal) {
        this.parameters = parameters;
        this.principal = principal;
    }

    /**
     * Reads a call's parameters.
     *
     * @param repeatedFields the fields that are lists in MLflow's protocol: on a query string they are read from every
     *                       occurrence of their key, the others from the first
     */
    static MlflowRequest of(HttpRequest<?> request, String body, String... repeatedFields) {
        return new MlflowRequest(parameters(request, body, List.of(repeatedFields)), principal(request));
    }

    /** Builds parameters directly from a JSON object (for tests and internal callers). */
    static MlflowRequest ofJson(String json, String principal) {
        return new MlflowRequest(parseBody(json), principal);
    }

    private static ObjectNode parameters(HttpRequest<?> request, String body, List<String> repeatedFields) {
        if (request.getMethod() == HttpMethod.GET && !request.getParameters().isEmpty()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : request.getParameters().names()) {
                List<String> values = request.getParameters().getAll(name);
                if (repeatedFields.contains(name)) {
                    values.forEach(out.withArray(name)::add);
                } else if (!values.isEmpty()) {
                    out.put(name, values.get(0));
                }
            }
            return out;
        }
        return parseBody(body);
    }

    private static ObjectNode parseBody(String body) {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw MlflowException.invalidParameter("Malformed JSON in the request body: "
                    + e.getOriginalMessage() + ". Send the parameters as a JSON object, e.g. {\"name\": \"my-model\"}.");
        }
        if (node != null && node.isTextual()) {
            // Older MLflow clients post their JSON double-encoded as a string; MLflow's server decodes it again.
            return parseBody(node.textValue());
        }
        if (node == null || !node.isObject()) {
            throw MlflowException.invalidParameter("The request body must be a JSON object of parameters, e.g. "
                    + "{\"name\": \"my-model\"}; got " + (node == null ? "nothing" : node.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT)) + ".");
        }
        return (ObjectNode) node;
    }

    /**
     * Who makes the call: the user of HTTP basic authentication (what MLflow clients send when
     * {@code MLFLOW_TRACKING_USERNAME} is set), else the {@value #PRINCIPAL_HEADER} header, else {@value #ANONYMOUS}.
     */
    static String principal(HttpRequest<?> request) {
        if (Principals.of(request).isPresent()) {
            // proved by the enforcement point (the Basic user is the account itself)
            return Principals.name(request, request.getHeaders().get(PRINCIPAL_HEADER), ANONYMOUS);
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                if (!user.isBlank()) {
                    return user;
                }
            } catch (IllegalArgumentException e) {
                throw new MlflowException(MlflowErrorCode.UNAUTHENTICATED, "The Authorization header is not valid "
                        + "basic authentication (Basic base64(user:password)); fix it or leave it out.");
            }
        }
        String header = request.getHeaders().get(PRINCIPAL_HEADER);
        return header == null || header.isBlank() ? ANONYMOUS : header.trim();
    }

    String principal() {
        return principal;
    }

    /** A required string parameter: MLflow treats absent and empty alike. */
    String requiredString(String name) {
        return optionalString(name).filter(s -> !s.isEmpty()).orElseThrow(() -> MlflowException.missing(name));
    }

    /** An optional string parameter; JSON null counts as absent. */
    Optional<String> optionalString(String name) {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw typeError(name, node, "a string");
        }
        return Optional.of(node.textValue());
    }

    /** A model version number: a string of digits in MLflow's protocol (a JSON number is accepted too). */
    int requiredVersion(String name) {
        JsonNode node = parameters.get(name);
        if (node != null && node.isIntegralNumber()) {
            return checkedVersion(name, node.asText());
        }
        return checkedVersion(name, requiredString(name));
    }

    private static int checkedVersion(String name, String text) {
        try {
            int version = Integer.parseInt(text.trim());
            if (version < 1) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("Parameter '" + name + "' must be a positive integer, got '" + text
                    + "'. Model versions are numbered 1, 2, 3 …");
        }
    }

    /** An optional integer parameter, as a JSON number or a string of digits (how int64 travels in MLflow's JSON). */
    Optional<Long> optionalLong(String name) {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(Long.parseLong(node.textValue().trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw typeError(name, node, "an integer");
    }

    /** An optional boolean parameter: a JSON boolean, or {@code true}/{@code false} on a query string. */
    Optional<Boolean> optionalBoolean(String name) {
        JsonNode node = parameters.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual() && (node.textValue().equalsIgnoreCase("true")
                || node.textValue().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(node.textValue()));
        }
        throw typeError(name, node, "a boolean (true or false)");
    }

    /** A repeated string parameter (a JSON array of strings; a single string counts as a list of one). */
    List<String> stringList(String name) {
        JsonNode node = parameters.get(name);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.textValue());
            return out;
        }
        if (!node.isArray()) {
            throw typeError(name, node, "a list of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw typeError(name, node, "a list of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** MLflow's tags: a list of {@code {"key": ..., "value": ...}} objects, in order; a later key wins. */
    Map<String, String> tags(String name) {
        JsonNode node = parameters.get(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw typeError(name, node, "a list of {\"key\": ..., \"value\": ...} objects");
        }
        for (JsonNode tag : node) {
            JsonNode key = tag.get("key");
            JsonNode value = tag.get("value");
            if (!tag.isObject() || key == null || !key.isTextual() || key.textValue().isEmpty()) {
                throw MlflowException.invalidParameter("Every entry of '" + name + "' needs a non-empty string "
                        + "'key' (and a string 'value'), e.g. [{\"key\": \"team\", \"value\": \"fraud\"}]; got "
                        + tag + ".");
            }
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw MlflowException.invalidParameter("Tag '" + key.textValue() + "' in '" + name + "' has a "
                        + "value that is not a string: " + value + ". Tag values are strings.");
            }
            out.put(key.textValue(), value == null || value.isNull() ? "" : value.textValue());
        }
        return out;
    }

    private static MlflowException typeError(String name, JsonNode value, String expected) {
        return MlflowException.invalidParameter("Invalid value " + value + " for parameter '" + name
                + "' supplied: it must be " + expected + ". See the API docs for more information about request "
                + "parameters.");
    }
}
