package dev.drover.platform.avro;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * Encodes and decodes one generated Avro record type as plain Avro binary: the record's fields and nothing else (no
 * schema, no fingerprint, no framing), written and read with the type's own schema. This is the value format of every
 * Drover topic; the rules that keep old bytes readable are in {@code docs/schemas.md}.
 *
 * <p>Thread-safe: one instance per record type can be shared by every producer and consumer thread. Each thread keeps
 * its own datum reader and writer, because Avro builds and caches its fast readers lazily without synchronisation.
 *
 * <p>Avro 1.12 refuses to instantiate generated classes outside trusted packages. Loading this class makes sure
 * {@code dev.drover} is trusted: it adds it to the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property and,
 * since Avro reads that property only once, also to Avro's global class validator if that was already set up.
 *
 * @param <T> the generated record type
 */
public final class AvroCodec<T extends SpecificRecord> {
    /** The system property Avro reads its trusted packages from. */
    public static final String SERIALIZABLE_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";
    /** The package prefix of every Drover record type. */
    public static final String TRUSTED_PACKAGE = "dev.drover";

    static {
        trustDroverPackages();
    }

    private final Class<T> type;
    private final Schema schema;
    private final ThreadLocal<Io<T>> io;

    /** A codec for {@code type}, reading and writing with {@code type}'s schema. */
    public AvroCodec(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        // the class's own model carries its logical-type conversions (timestamp-millis as Instant)
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.io = ThreadLocal.withInitial(() -> new Io<>(new SpecificDatumWriter<>(schema, model),
                new SpecificDatumReader<>(schema, schema, model)));
    }

    /** The record type this codec handles. */
    public Class<T> type() {
        return type;
    }

    /** The schema records are written and read with. */
    public Schema schema() {
        return schema;
    }

    /**
     * Encodes a record.
     *
     * @throws AvroCodecException if the record cannot be written (e.g. a required field is null)
     */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        Io<T> local = io.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            local.encoder = EncoderFactory.get().binaryEncoder(out, local.encoder);
            local.writer.write(record, local.encoder);
            local.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new AvroCodecException("could not encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a record that {@link #encode} wrote.
     *
     * @throws AvroCodecException if the bytes are not exactly one record of this type (truncated, trailing bytes,
     *                            invalid values, or written with another schema)
     */
    public T decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Io<T> local = io.get();
        try {
            local.decoder = DecoderFactory.get().binaryDecoder(bytes, local.decoder);
            T record = local.reader.read(null, local.decoder);
            if (!local.decoder.isEnd()) {
                throw new AvroCodecException("could not decode " + type.getSimpleName() + ": bytes left after the "
                        + "record; were they written with another schema?");
            }
            return record;
        } catch (AvroCodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new AvroCodecException("could not decode " + type.getSimpleName() + " (" + bytes.length
                    + " bytes): " + e, e);
        }
    }

    @Override
    public String toString() {
        return "AvroCodec[" + schema.getFullName() + "]";
    }

    /**
     * Trusts {@code dev.drover} for Avro's class validation, idempotently. Called when this class is loaded; public so
     * that code decoding Drover records without a codec can call it first.
     */
    public static synchronized void trustDroverPackages() {
        String packages = System.getProperty(SERIALIZABLE_PACKAGES);
        if (packages == null || packages.isBlank()) {
            System.setProperty(SERIALIZABLE_PACKAGES, TRUSTED_PACKAGE);
        } else if (!java.util.Arrays.asList(packages.split(",")).stream().map(String::trim)
                .anyMatch(TRUSTED_PACKAGE::equals)) {
            System.setProperty(SERIALIZABLE_PACKAGES, packages + "," + TRUSTED_PACKAGE);
        }
        // Avro reads the property once, when its validator is first used; if that happened before us, the property
        // is too late and the validator itself must learn the package
        ClassSecurityValidator.ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        if (!global.isTrusted(AvroCodec.class)) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(global,
                    c -> c.getName().startsWith(TRUSTED_PACKAGE + ".")));
        }
    }

    /** One thread's reader, writer and reusable encoder/decoder buffers. */
    private static final class Io<T> {
        final SpecificDatumWriter<T> writer;
        final SpecificDatumReader<T> reader;
        BinaryEncoder encoder;
        BinaryDecoder decoder;

        Io(SpecificDatumWriter<T> writer, SpecificDatumReader<T> reader) {
            this.writer = writer;
            this.reader = reader;
        }
    }
}
