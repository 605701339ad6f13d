package dev.drover.platform.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micronaut.http.MediaType;

import java.io.IOException;

/**
 * The one field of a request body the enforcement point needs: the name of the pipeline or model a write acts on,
 * read by streaming the top level of the JSON (or YAML) document and skipping everything nested, so that a large body
 * costs a scan and no tree.
 */
final class BodyFields {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private BodyFields() {
    }

    /**
     * The text of {@code field} at the top level of the body, or null when the body is not an object of that
     * format, lacks the field, or holds something other than text there (the route then answers the caller's mistake
     * itself, if the caller is allowed to make it).
     */
    static String topLevelText(byte[] body, MediaType contentType, String field) {
        // a spec may come as YAML under any type but JSON; YAML reads JSON too, and a document the two read
        // differently is one the route's own parser refuses or that names no resource here: either way, no grant
        boolean yaml = contentType == null || !contentType.getSubtype().contains("json");
        try (JsonParser parser = yaml ? YAML.createParser(body) : JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String found = null;
            int seen = 0;
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name)) {
                    if (value != JsonToken.VALUE_STRING || ++seen > 1) {
                        return null; // a repeated field would let the body name one resource here, another later
                    }
                    found = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            return found;
        } catch (IOException | RuntimeException e) {
            return null; // not a document of that format: no name, so no scoped grant applies
        }
    }
}
