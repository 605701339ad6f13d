package dev.drover.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of this process: the {@link OpenApiFragment}s of every service it runs, read from the
 * classpath and merged ({@link OpenApiMerge}). Built once, on first use; the fragments are fixed at startup.
 */
@Singleton
public class OpenApiDocument {
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    // every string quoted: unquoted, YAML 1.1 readers take an example 2026-10-01 for a date
                    .build())
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final List<OpenApiFragment> fragments;
    private volatile String yaml;
    private volatile ObjectNode tree;

    public OpenApiDocument(List<OpenApiFragment> fragments) {
        // by name: the same document whatever the bean order
        this.fragments = fragments.stream().sorted(Comparator.comparing(OpenApiFragment::service)).toList();
    }

    /** The merged document as YAML. */
    public String yaml() {
        String y = yaml;
        if (y == null) {
            synchronized (this) {
                if (yaml == null) {
                    try {
                        yaml = YAML.writeValueAsString(tree());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                y = yaml;
            }
        }
        return y;
    }

    /** The merged document; callers must not change it. */
    public ObjectNode tree() {
        ObjectNode t = tree;
        if (t == null) {
            synchronized (this) {
                if (tree == null) {
                    tree = build(fragments);
                }
                t = tree;
            }
        }
        return t;
    }

    /** The services whose parts the document holds. */
    public List<String> services() {
        return fragments.stream().map(OpenApiFragment::service).toList();
    }

    static ObjectNode build(List<OpenApiFragment> fragments) {
        List<OpenApiMerge.Part> parts = new ArrayList<>();
        for (OpenApiFragment f : fragments) {
            Map<String, JsonNode> schemas = new LinkedHashMap<>();
            f.jsonSchemas().forEach((name, resource) -> schemas.put(name, read(JSON, resource, f)));
            parts.add(new OpenApiMerge.Part(f.service(), read(YAML, f.resource(), f), schemas));
        }
        return OpenApiMerge.merge(parts);
    }

    private static JsonNode read(ObjectMapper mapper, String resource, OpenApiFragment fragment) {
        ClassLoader loader = OpenApiDocument.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                // the build of that service did not run the micronaut-openapi processor: a packaging bug
                throw new IllegalStateException("the OpenAPI part of " + fragment.service() + " (" + resource
                        + ") is not on the classpath");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " of " + fragment.service(), e);
        }
    }
}
