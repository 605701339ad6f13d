package dev.drover.monitor.datastore;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the monitor keeps production data ({@code drover.monitor.data-location}): a local directory, or a bucket
 * (and key prefix) of an S3-compatible object store. Parsed once at start, so that a location the monitor could never
 * write to stops the service with what to change rather than losing every window's rows later.
 */
public sealed interface DataLocation {
    String SETTING = "drover.monitor.data-location";

    /** A directory, local or mounted. */
    record Directory(Path path) implements DataLocation {
    }

    /**
     * A bucket of an S3-compatible store; objects are named {@code <prefix>/<key>}.
     *
     * @param prefix without leading or trailing slash; empty for the bucket's top
     */
    record S3(String bucket, String prefix) implements DataLocation {
        /** The URI of an object, as events and REST name it. */
        public String uri(String key) {
            return "s3://" + bucket + "/" + objectKey(key);
        }

        public String objectKey(String key) {
            return prefix.isEmpty() ? key : prefix + "/" + key;
        }

        @Override
        public String toString() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    // S3's rules for bucket names that work with either addressing style
    Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    // two letters at least, so that a drive letter (C:/data) is a path
    Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+://.*");

    /**
     * Reads a configured location.
     *
     * @throws IllegalArgumentException saying what is wrong with it and how to write it instead
     */
    static DataLocation parse(String location) {
        String s = location.strip();
        if (s.contains(",")) {
            // retrain runs receive locations as comma-separated parameters
            throw refused(location, "contains a comma, and retraining runs receive data locations as a "
                    + "comma-separated list", "choose a directory, bucket or prefix whose name has none");
        }
        if (s.isEmpty()) {
            throw refused(location, "is blank", "leave it unset to keep no production data, or name a directory");
        }
        if (s.regionMatches(true, 0, "s3:", 0, 3)) {
            return s3(location, s);
        }
        if (s.regionMatches(true, 0, "file:", 0, 5)) {
            throw refused(location, "is a file: URI", "write the directory as a plain path, e.g. "
                    + s.replaceFirst("^(?i)file:(//)?", ""));
        }
        if (SCHEME.matcher(s).matches()) {
            throw refused(location, "names a scheme the monitor cannot write to",
                    "use a local directory (e.g. /var/lib/drover/monitor-data) or s3://<bucket>[/<prefix>]");
        }
        return new Directory(Path.of(s).toAbsolutePath().normalize());
    }

    private static DataLocation s3(String location, String s) {
        String example = "write it as s3://<bucket>[/<prefix>], e.g. s3://drover-monitor/production";
        if (!s.startsWith("s3://")) {
            throw refused(location, "is not an s3:// URI", example);
        }
        String rest = s.substring("s3://".length());
        if (rest.contains("?") || rest.contains("#")) {
            throw refused(location, "has a query or fragment", example);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw refused(location, "names no bucket", example);
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw refused(location, "names bucket '" + bucket + "', which is not a valid bucket name",
                    "use 3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter "
                            + "or digit; the endpoint goes into drover.monitor.s3.endpoint, not into the location");
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw refused(location, "has an empty path segment in its prefix '" + prefix + "'", example);
        }
        return new S3(bucket, prefix);
    }

    private static IllegalArgumentException refused(String location, String problem, String fix) {
        return new IllegalArgumentException(SETTING + " '" + location + "' " + problem + ": " + fix);
    }
}
