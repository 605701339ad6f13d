package dev.drover.platform.avro;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The released writer schemas of one top-level record type, as shipped in the {@code drover-schemas} jar: the golden
 * files {@code golden/vN/<Name>.avsc} of module {@code schemas} become the classpath resources
 * {@code dev/drover/schemas/released/vN/<Name>.avsc}, where {@code <Name>} is the record's simple name.
 *
 * <p>Versions are found by probing, deterministically: {@code v1}, {@code v2}, ... up to the last {@code vN/} folder
 * before the first missing one (releases are numbered without gaps). A new release is picked up without any code
 * change. Within a release, the type's file may be absent (the type came in a later release); once present, every
 * later release has it too, because a released schema is never dropped (the golden test holds that).
 *
 * <p>Each file is parsed on its own, as it was when it was released. A file whose full name is not the type's fails
 * loudly: union branches and resolution match by full name, so such a file could not have written this type.
 */
public final class ReleasedSchemas {
    /** The classpath folder holding {@code vN/<Name>.avsc}. */
    public static final String ROOT = "dev/drover/schemas/released/";

    private final String fullName;
    private final int latestVersion;
    private final Map<Integer, Schema> byVersion;

    private ReleasedSchemas(String fullName, int latestVersion, Map<Integer, Schema> byVersion) {
        this.fullName = fullName;
        this.latestVersion = latestVersion;
        this.byVersion = Collections.unmodifiableMap(byVersion);
    }

    /** The released writer schemas of the record type named {@code fullName}, from {@code loader}'s classpath. */
    public static ReleasedSchemas of(String fullName, ClassLoader loader) {
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(loader, "loader");
        String simpleName = fullName.substring(fullName.lastIndexOf('.') + 1);
        Map<Integer, Schema> byVersion = new LinkedHashMap<>();
        int version = 1;
        while (loader.getResource(ROOT + "v" + version + "/") != null) {
            String path = ROOT + "v" + version + "/" + simpleName + ".avsc";
            URL file = loader.getResource(path);
            if (file != null) {
                Schema schema = parse(file, path);
                if (!schema.getFullName().equals(fullName)) {
                    throw new IllegalStateException(path + " is " + schema.getFullName() + ", not " + fullName
                            + ": a released schema keeps its full name");
                }
                byVersion.put(version, schema);
            }
            version++;
        }
        return new ReleasedSchemas(fullName, version - 1, byVersion);
    }

    private static Schema parse(URL file, String path) {
        try (InputStream in = file.openStream()) {
            // a fresh parser per file: each released file stands alone
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    /** The full name of the record type. */
    public String fullName() {
        return fullName;
    }

    /** The number of the newest release on the classpath ({@code 0} if none). */
    public int latestVersion() {
        return latestVersion;
    }

    /** The type's writer schema in every release that has it, by release number, oldest first. */
    public Map<Integer, Schema> byVersion() {
        return byVersion;
    }

    /** The release that first had this type ({@code 0} if none has it). */
    public int firstVersion() {
        return byVersion.isEmpty() ? 0 : byVersion.keySet().iterator().next();
    }

    /** The type's schema in its first release, or null if no release has it. */
    public Schema first() {
        return byVersion.isEmpty() ? null : byVersion.get(firstVersion());
    }

    /** The releases that have this type, e.g. {@code v1, v2, v3}, or {@code no release}. */
    public String describe() {
        if (byVersion.isEmpty()) {
            return "no release";
        }
        return String.join(", ", byVersion.keySet().stream().map(v -> "v" + v).toList());
    }

    @Override
    public String toString() {
        return "ReleasedSchemas[" + fullName + ": " + describe() + "]";
    }
}
