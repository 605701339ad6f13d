package dev.drover.schemas.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.identity.command.IdentityCommandEnvelope;
import dev.drover.schemas.identity.event.IdentityEventEnvelope;
import dev.drover.schemas.monitor.command.MonitorCommandEnvelope;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.inference.Label;
import dev.drover.schemas.monitor.inference.Prediction;
import dev.drover.schemas.registry.command.RegistryCommandEnvelope;
import dev.drover.schemas.registry.event.RegistryEventEnvelope;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The released schema sets under {@code src/test/resources/golden/vN/} and the current schemas they are checked
 * against. A released set holds the writer schemas ({@code <Name>.avsc}) and binary records written with them
 * ({@code records/<Name>[-<Payload>].bin}); see {@code docs/schemas.md}.
 */
final class GoldenFiles {

    /** Every top-level schema of module {@code schemas}, by simple name (the golden file name without .avsc). */
    static final Map<String, Class<? extends SpecificRecord>> CURRENT = currentTypes();

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenFiles() {
    }

    private static Map<String, Class<? extends SpecificRecord>> currentTypes() {
        Map<String, Class<? extends SpecificRecord>> types = new LinkedHashMap<>();
        types.put("RunCommandEnvelope", RunCommandEnvelope.class);
        types.put("RunEventEnvelope", RunEventEnvelope.class);
        types.put("TaskDispatch", TaskDispatch.class);
        types.put("TaskLogBatch", TaskLogBatch.class);
        types.put("DeadLetter", DeadLetter.class);
        types.put("RegistryCommandEnvelope", RegistryCommandEnvelope.class);
        types.put("RegistryEventEnvelope", RegistryEventEnvelope.class);
        types.put("MonitorCommandEnvelope", MonitorCommandEnvelope.class);
        types.put("MonitorEventEnvelope", MonitorEventEnvelope.class);
        types.put("Prediction", Prediction.class);
        types.put("Label", Label.class);
        types.put("IdentityCommandEnvelope", IdentityCommandEnvelope.class);
        types.put("IdentityEventEnvelope", IdentityEventEnvelope.class);
        return types;
    }

    /** The current (reader) schema of a top-level type. */
    static Schema current(String name) {
        Class<? extends SpecificRecord> type = CURRENT.get(name);
        if (type == null) {
            throw new IllegalStateException("golden schema " + name + " has no current schema: a released schema "
                    + "must stay (and keep its full name) so that old records stay readable");
        }
        return org.apache.avro.specific.SpecificData.getForClass(type).getSchema(type);
    }

    /** The root folder of the released sets on the test classpath. */
    static Path root() {
        try {
            return Path.of(GoldenFiles.class.getResource("/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The released versions ({@code v1}, {@code v2}, ...), oldest first. */
    static List<Path> versions() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(d -> d.getFileName().toString().matches("v\\d+"))
                    .sorted(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(1))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The writer schemas of one released version, by simple name. */
    static Map<String, Schema> schemas(Path version) {
        Map<String, Schema> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(version)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".avsc", "");
                // a fresh parser per file: each released file stands alone, as it did when it was written
                out.put(name, new Schema.Parser().parse(Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The golden records of one released version. */
    static List<Path> records(Path version) {
        Path dir = version.resolve("records");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top-level schema a record file was written with: the part of its name before {@code -}. */
    static String schemaNameOf(Path record) {
        String base = record.getFileName().toString().replace(".bin", "");
        int dash = base.indexOf('-');
        return dash < 0 ? base : base.substring(0, dash);
    }

    /** The payload kind a record file holds ({@code RunEventEnvelope-TaskStarted.bin}), or null. */
    static String payloadNameOf(Path record) {
        String base = record.getFileName().toString().replace(".bin", "");
        int dash = base.indexOf('-');
        return dash < 0 ? null : base.substring(dash + 1);
    }

    /**
     * A schema's JSON without what does not affect the bytes or their resolution: docs, and the Java string type
     * the code generator adds. Names, types, defaults, logical types and enum defaults remain.
     */
    static JsonNode withoutDocs(Schema schema) {
        try {
            return strip(JSON.readTree(schema.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("doc", "avro.java.string"));
            object.fieldNames().forEachRemaining(f -> object.set(f, strip(object.get(f))));
            // {"type": "string"} and "string" are the same schema once the Java string property is gone
            if (object.size() == 1 && object.has("type") && object.get("type").isTextual()) {
                return object.get("type");
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, strip(array.get(i)));
            }
        }
        return node;
    }

    /**
     * The rule every change must pass: data written with {@code writer} (a released schema) can be read with
     * {@code reader} (the current one). Avro's own check, so field defaults, enum defaults, promotions and union
     * branches are judged exactly as decoding will judge them.
     */
    static SchemaPairCompatibility backward(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    }
}
