package dev.drover.schemas.golden;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the wire format: every released schema (golden/vN) must stay readable by the current schemas (BACKWARD
 * compatibility, checked with Avro's {@code SchemaCompatibility}), and every golden record written by released code
 * must decode with the current reader schemas. See {@code docs/schemas.md}.
 */
class GoldenCompatibilityTest {

    @TestFactory
    List<DynamicTest> currentSchemasReadEveryReleasedSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path version : GoldenFiles.versions()) {
            for (Map.Entry<String, Schema> golden : GoldenFiles.schemas(version).entrySet()) {
                tests.add(DynamicTest.dynamicTest(version.getFileName() + "/" + golden.getKey(), () -> {
                    Schema current = GoldenFiles.current(golden.getKey());
                    assertThat(current.getFullName()).as("full name (union branches and readers match by it)")
                            .isEqualTo(golden.getValue().getFullName());
                    SchemaPairCompatibility result = GoldenFiles.backward(current, golden.getValue());
                    assertThat(result.getType())
                            .as("the current %s cannot read data written with %s/%s: %s", golden.getKey(),
                                    version.getFileName(), golden.getKey(), describe(result))
                            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyGoldenRecordDecodesWithTheCurrentSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path version : GoldenFiles.versions()) {
            Map<String, Schema> writers = GoldenFiles.schemas(version);
            for (Path record : GoldenFiles.records(version)) {
                tests.add(DynamicTest.dynamicTest(version.getFileName() + "/records/" + record.getFileName(), () -> {
                    String name = GoldenFiles.schemaNameOf(record);
                    Schema writer = writers.get(name);
                    assertThat(writer).as("writer schema %s/%s.avsc", version.getFileName(), name).isNotNull();
                    SpecificRecord decoded = decode(Files.readAllBytes(record), writer, GoldenFiles.current(name));
                    assertThat(decoded).isInstanceOf(GoldenFiles.CURRENT.get(name));
                    String payload = GoldenFiles.payloadNameOf(record);
                    if (payload != null) {
                        Object value = decoded.get(decoded.getSchema().getField("payload").pos());
                        assertThat(value.getClass().getSimpleName()).isEqualTo(payload);
                    }
                    // the generator wrote every record of one release about the same pipeline
                    if (decoded.getSchema().getField("pipelineId") != null) {
                        assertThat(decoded.get(decoded.getSchema().getField("pipelineId").pos()))
                                .isEqualTo(GoldenRecordGenerator.PIPELINE);
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void everyPayloadKindOfEveryReleasedEnvelopeHasAGoldenRecord() {
        for (Path version : GoldenFiles.versions()) {
            Set<String> expected = new TreeSet<>();
            for (Map.Entry<String, Schema> golden : GoldenFiles.schemas(version).entrySet()) {
                Schema.Field payload = golden.getValue().getField("payload");
                if (payload == null) {
                    expected.add(golden.getKey());
                } else {
                    payload.schema().getTypes().forEach(t -> expected.add(golden.getKey() + "-" + t.getName()));
                }
            }
            Set<String> actual = new TreeSet<>();
            GoldenFiles.records(version).forEach(r -> actual.add(r.getFileName().toString().replace(".bin", "")));
            assertThat(actual).as("golden records of %s", version.getFileName()).isEqualTo(expected);
        }
    }

    @Test
    void theLatestReleaseIsTheCurrentSchemas() {
        // A change that no golden version holds would reach the log unguarded: the next change could then break
        // it without any test noticing. So a schema change and its release (golden/vN+1) go in the same commit.
        // Docs do not count; names, types, defaults, logical types and enum defaults do.
        List<Path> versions = GoldenFiles.versions();
        assertThat(versions).isNotEmpty();
        Path latest = versions.get(versions.size() - 1);
        Map<String, Schema> released = GoldenFiles.schemas(latest);
        for (String name : GoldenFiles.CURRENT.keySet()) {
            Schema golden = released.get(name);
            assertThat(golden).as("%s/%s.avsc: release every current schema (see docs/schemas.md)",
                    latest.getFileName(), name).isNotNull();
            assertThat(GoldenFiles.withoutDocs(GoldenFiles.current(name)))
                    .as("%s differs from its latest release %s/%s.avsc: copy the current .avsc files to a new "
                            + "golden/vN+1 and generate its records (docs/schemas.md)", name, latest.getFileName(), name)
                    .isEqualTo(GoldenFiles.withoutDocs(golden));
        }
    }

    @Test
    void everyTopLevelSchemaStartsWithAStringField() {
        // Records are raw Avro binary without a schema id. Keeping a string first means no valid record can start
        // with the bytes C3 01 (a negative length), so a later switch to Avro single-object encoding (C3 01 +
        // fingerprint) can still tell old raw records apart. See docs/schemas.md, "Reading old bytes".
        for (String name : GoldenFiles.CURRENT.keySet()) {
            Schema first = GoldenFiles.current(name).getFields().get(0).schema();
            assertThat(first.getType()).as("first field of %s", name).isEqualTo(Schema.Type.STRING);
        }
    }

    /** Where and why, without the two full schemas Avro puts in each message. */
    private static String describe(SchemaPairCompatibility result) {
        StringBuilder out = new StringBuilder();
        result.getResult().getIncompatibilities().forEach(i -> out.append("\n  ").append(i.getType()).append(" at ")
                .append(i.getLocation()).append(": ").append(i.getMessage().length() > 160
                        ? i.getMessage().substring(0, 160) + "..." : i.getMessage()));
        return out.toString();
    }

    static SpecificRecord decode(byte[] bytes, Schema writer, Schema reader) throws IOException {
        SpecificDatumReader<SpecificRecord> datumReader =
                new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        SpecificRecord record = datumReader.read(null, decoder);
        assertThat(decoder.isEnd()).as("every byte consumed").isTrue();
        return record;
    }
}
