package dev.drover.platform.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes and decodes one generated Avro record type. This is the value format of every Drover topic; the rules that
 * keep old bytes readable are in {@code docs/schemas.md}, "Reading old bytes".
 *
 * <p>{@link #encode} writes Avro's single-object encoding: the two bytes {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema (the current schema of the type), then the record in plain Avro
 * binary. Avro's own {@link BinaryMessageEncoder} writes it.
 *
 * <p>{@link #decode} reads two kinds of bytes and resolves both to the current schema of the type:
 * <ul>
 *   <li>bytes starting with {@code C3 01}: the fingerprint names the writer schema, looked up among the current
 *       schema and every released writer schema of the same full name ({@link ReleasedSchemas}, shipped in the
 *       {@code drover-schemas} jar). An unknown fingerprint (a newer schema, or none of this type) fails with an
 *       {@link AvroCodecException} that names it.</li>
 *   <li>any other bytes: a raw record written before the switch to single-object encoding, i.e. by releases
 *       {@code v1} to {@code v3}, which never changed a released schema. It is read with the type's schema in the
 *       first release that has the type ({@code v1} for the run, task and dead-letter types, {@code v2} for the
 *       registry envelopes, {@code v3} for the monitor types), or with the current schema if no release has it.
 *       No raw record can start with {@code C3 01}: every top-level schema starts with a string, whose length
 *       would be negative.</li>
 * </ul>
 * In both cases the bytes must hold exactly one record: truncated or trailing bytes fail.
 *
 * <p>Thread-safe: one instance per record type can be shared by every producer and consumer thread. Each thread keeps
 * its own datum readers and encoder, because Avro builds and caches its fast readers lazily without synchronisation.
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
    /** The first byte of Avro's single-object encoding (format version 1). */
    public static final byte MAGIC_0 = (byte) 0xC3;
    /** The second byte of Avro's single-object encoding (format version 1). */
    public static final byte MAGIC_1 = (byte) 0x01;
    /** The length of the single-object header: two magic bytes and the 8-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;

    static {
        trustDroverPackages();
    }

    /** The released schemas of each record type, loaded once per type (from the type's own class loader). */
    private static final ClassValue<ReleasedSchemas> RELEASED = new ClassValue<>() {
        @Override
        protected ReleasedSchemas computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader()
                    : ClassLoader.getSystemClassLoader();
            return ReleasedSchemas.of(SpecificData.getForClass(type).getSchema(type).getFullName(), loader);
        }
    };

    private final Class<T> type;
    private final Schema schema;
    private final SpecificData model;
    private final long fingerprint;
    private final ReleasedSchemas released;
    /** The current schema and every released writer schema of the type, by fingerprint. */
    private final SchemaStore.Cache writers = new SchemaStore.Cache();
    /** The schema raw (unprefixed) records were written with. */
    private final Schema legacyWriter;
    private final String legacyWriterName;
    private final ThreadLocal<Io<T>> io;

    /** A codec for {@code type}, writing with {@code type}'s schema and reading into it. */
    public AvroCodec(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        // the class's own model carries its logical-type conversions (timestamp-millis as Instant)
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.released = RELEASED.get(type);
        released.byVersion().values().forEach(writers::addSchema);
        writers.addSchema(schema);
        Schema first = released.first();
        this.legacyWriter = first != null ? first : schema;
        this.legacyWriterName = first != null ? "v" + released.firstVersion() : "the current schema";
        this.io = ThreadLocal.withInitial(() -> new Io<>(new BinaryMessageEncoder<>(model, schema),
                new SpecificDatumReader<>(legacyWriter, schema, model)));
    }

    /** The record type this codec handles. */
    public Class<T> type() {
        return type;
    }

    /** The schema records are written with and read into (the type's current schema). */
    public Schema schema() {
        return schema;
    }

    /** The CRC-64-AVRO fingerprint of {@link #schema()}, as {@link #encode} writes it after {@code C3 01}. */
    public long fingerprint() {
        return fingerprint;
    }

    /** The released writer schemas this codec reads besides the current one. */
    public ReleasedSchemas released() {
        return released;
    }

    /**
     * Encodes a record in single-object encoding.
     *
     * @throws AvroCodecException if the record cannot be written (e.g. a required field is null)
     */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            io.get().encoder.encode(record, out);
        } catch (IOException | RuntimeException e) {
            throw new AvroCodecException("could not encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a record: one that {@link #encode} wrote, one written in single-object encoding with any released
     * schema of the type, or a raw record written before single-object encoding (see the class comment).
     *
     * @throws AvroCodecException if the bytes are not exactly one record of this type (truncated, trailing bytes,
     *                            invalid values, written with an unknown schema)
     */
    public T decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Io<T> local = io.get();
        SpecificDatumReader<T> reader;
        int offset;
        long writerFingerprint = 0;
        if (bytes.length >= 2 && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1) {
            if (bytes.length < HEADER_LENGTH) {
                throw new AvroCodecException("could not decode " + type.getSimpleName() + ": " + bytes.length
                        + " bytes, too short for the single-object header (C3 01 and an 8-byte fingerprint)");
            }
            writerFingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            reader = local.readers.get(writerFingerprint);
            if (reader == null) {
                Schema writer = writers.findByFingerprint(writerFingerprint);
                if (writer == null) {
                    throw new AvroCodecException(unknownWriter(writerFingerprint));
                }
                reader = new SpecificDatumReader<>(writer, schema, model);
                local.readers.put(writerFingerprint, reader);
            }
            offset = HEADER_LENGTH;
        } else {
            reader = local.legacy;
            offset = 0;
        }
        try {
            local.decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, local.decoder);
            T record = reader.read(null, local.decoder);
            if (!local.decoder.isEnd()) {
                throw new AvroCodecException("could not decode " + type.getSimpleName() + " ("
                        + writerName(offset, writerFingerprint) + "): bytes left after the record; were they "
                        + "written with another schema?");
            }
            return record;
        } catch (AvroCodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new AvroCodecException("could not decode " + type.getSimpleName() + " (" + bytes.length
                    + " bytes, " + writerName(offset, writerFingerprint) + "): " + e, e);
        }
    }

    /** The writer named in a decoding error; only built for errors (formatting it cost a quarter of decoding). */
    private String writerName(int offset, long writerFingerprint) {
        return offset == HEADER_LENGTH ? "schema " + hex(writerFingerprint) : "raw record, " + legacyWriterName;
    }

    private String unknownWriter(long writerFingerprint) {
        return "could not decode " + type.getSimpleName() + ": written with an unknown schema, fingerprint "
                + hex(writerFingerprint) + " (CRC-64-AVRO); this code knows " + schema.getFullName() + " as "
                + hex(fingerprint) + " (current) and in releases " + released.describe() + ". The record was "
                + "written by a newer schema (upgrade this reader) or is not a " + type.getSimpleName();
    }

    /** A fingerprint as written after {@code C3 01}: 8 bytes, little-endian, in hex. */
    static String hex(long fingerprint) {
        byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array();
        StringBuilder out = new StringBuilder(16);
        for (byte b : le) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
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

    /** One thread's encoder, readers (raw records, and by writer fingerprint) and reusable decoder buffer. */
    private static final class Io<T> {
        final BinaryMessageEncoder<T> encoder;
        final SpecificDatumReader<T> legacy;
        final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
        BinaryDecoder decoder;

        Io(BinaryMessageEncoder<T> encoder, SpecificDatumReader<T> legacy) {
            this.encoder = encoder;
            this.legacy = legacy;
        }
    }
}
