package dev.drover.schemas.golden;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that {@link GoldenCompatibilityTest} would catch a breaking change: each test edits a released v1 schema the
 * way a careless change would and asks the same check whether the edited schema could still read v1 data.
 */
class CompatibilityCheckTest {
    private static final String TASK_STARTED_EXECUTOR =
            "{\"name\": \"executorId\", \"type\": \"string\", \"doc\": \"The executor that holds the attempt's lease.\"},";

    @Test
    void unchangedSchemaIsCompatible() {
        assertThat(check(v1("RunEventEnvelope"))).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void newRequiredFieldWithoutDefaultIsDetected() {
        String edited = replace(v1("RunEventEnvelope"), TASK_STARTED_EXECUTOR,
                TASK_STARTED_EXECUTOR + " {\"name\": \"host\", \"type\": \"string\"},");
        assertThat(check(edited)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void newFieldWithDefaultIsAllowed() {
        String edited = replace(v1("RunEventEnvelope"), TASK_STARTED_EXECUTOR,
                TASK_STARTED_EXECUTOR + " {\"name\": \"host\", \"type\": [\"null\", \"string\"], \"default\": null},");
        assertThat(check(edited)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void removedEnumSymbolIsDetected() {
        String edited = replace(v1("RunEventEnvelope"), "\"STALE_ATTEMPT\", ", "");
        assertThat(check(edited)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void addedEnumSymbolIsAllowed() {
        String edited = replace(v1("RunEventEnvelope"), "\"CANCELED\"]", "\"CANCELED\", \"SKIPPED\"]");
        assertThat(check(edited)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void removedPayloadKindIsDetected() {
        Schema envelope = parse(v1("RunCommandEnvelope"));
        // rebuild the envelope with every payload but DispatchRetry
        var branches = envelope.getField("payload").schema().getTypes().stream()
                .filter(t -> !t.getName().equals("DispatchRetry")).toList();
        var fields = envelope.getFields().stream().map(f -> f.name().equals("payload")
                ? new Schema.Field(f.name(), Schema.createUnion(branches), f.doc())
                : new Schema.Field(f, f.schema())).toList();
        Schema edited = Schema.createRecord(envelope.getName(), envelope.getDoc(), envelope.getNamespace(), false,
                fields);
        assertThat(GoldenFiles.backward(edited, envelope).getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void renamedPayloadRecordIsDetected() {
        String edited = replace(v1("RunEventEnvelope"), "\"name\": \"TaskLost\"", "\"name\": \"TaskAbandoned\"");
        assertThat(check(edited)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void narrowedTypeIsDetected() {
        String edited = replace(v1("TaskDispatch"), "{\"name\": \"timeoutMs\", \"type\": \"long\"",
                "{\"name\": \"timeoutMs\", \"type\": \"int\"");
        assertThat(GoldenFiles.backward(parse(edited), parse(v1("TaskDispatch"))).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    /** Can {@code editedEnvelope} (as a new reader) read data written with v1's RunEventEnvelope/RunCommandEnvelope? */
    private static SchemaCompatibilityType check(String editedJson) {
        Schema edited = parse(editedJson);
        Schema released = GoldenFiles.schemas(GoldenFiles.root().resolve("v1")).get(edited.getName());
        return GoldenFiles.backward(edited, released).getType();
    }

    private static String v1(String name) {
        try {
            return Files.readString(GoldenFiles.root().resolve("v1").resolve(name + ".avsc"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static String replace(String text, String target, String replacement) {
        assertThat(text).as("the edit's anchor").contains(target);
        return text.replace(target, replacement);
    }
}
