package dev.drover.executor.task;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the outputs a task wrote to the file named by {@code DROVER_OUTPUT}: nothing, or one JSON object of at most
 * {@link #MAX_BYTES}. The limit keeps outputs small enough to travel inside a Kafka event; big results belong in
 * files under the run directory, with their paths as outputs.
 */
final class OutputFile {
    static final String ENV = "DROVER_OUTPUT";
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private OutputFile() {
    }

    /** The result of an attempt whose process exited with 0 and wrote {@code file}. */
    static TaskResult read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Reads one byte past the limit rather than trusting the size up front: the file may still be growing.
            bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                long size = Math.max(Files.size(file), bytes.length);
                return failed(ENV + " file is too large: " + size + " bytes (limit " + MAX_BYTES + " bytes)");
            }
        } catch (NoSuchFileException e) {
            return new TaskResult.Succeeded(Map.of());
        } catch (IOException e) {
            return failed("cannot read the " + ENV + " file: " + e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new TaskResult.Succeeded(Map.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return failed(ENV + " file is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (!root.isObject()) {
            return failed(ENV + " file must hold a JSON object, found " + kind(root));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> outputs = (Map<String, Object>) toJava(root);
        return new TaskResult.Succeeded(outputs);
    }

    private static TaskResult failed(String message) {
        // The process did exit with 0: say so, the failure is in what it left behind.
        return new TaskResult.Failed(message, 0);
    }

    /** JSON to the plain values the rest of Drover uses: integral numbers as Long, other numbers as Double. */
    private static Object toJava(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
            return Collections.unmodifiableMap(map);
        } else if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(toJava(item)));
            return Collections.unmodifiableList(list);
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        } else if (node.isNumber()) {
            return node.doubleValue();
        } else if (node.isBoolean()) {
            return node.booleanValue();
        } else if (node.isTextual()) {
            return node.textValue();
        }
        return null;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
