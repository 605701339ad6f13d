package dev.drover.monitor.datastore;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How to reach the store of an {@code s3://} data location ({@code drover.monitor.s3.*}). Credentials are not here
 * on purpose: they come from the AWS SDK's default provider chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a
 * profile, a web identity token, the instance's role), so that no secret sits in a config file or a log line.
 *
 * @param endpoint        an S3-compatible server (MinIO, moto, Ceph, ...); null: AWS S3 of the region
 * @param region          the region to sign for; null: the SDK's region chain for AWS, us-east-1 with an endpoint
 * @param pathStyleAccess address buckets as {@code <endpoint>/<bucket>} rather than {@code <bucket>.<endpoint>},
 *                        which most servers other than AWS need
 * @param timeout         how long one call (its retries included) may take before it fails: the window loop writes
 *                        inside its Kafka transaction, so this must stay below {@code transaction-timeout}
 */
public record S3Settings(URI endpoint, String region, boolean pathStyleAccess, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public S3Settings {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("drover.monitor.s3.timeout must be positive, e.g. 10s");
        }
    }

    public static S3Settings defaults() {
        return new S3Settings(null, null, false, DEFAULT_TIMEOUT);
    }

    /**
     * Reads a configured endpoint; null or blank is none.
     *
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public static URI endpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        String fix = "write it as http(s)://host[:port], e.g. http://localhost:9000 for a local MinIO";
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("drover.monitor.s3.endpoint '" + endpoint + "' is not a URL ("
                    + e.getReason() + "): " + fix);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("drover.monitor.s3.endpoint '" + endpoint + "' is not an http(s) URL "
                    + "with a host: " + fix);
        }
        if (uri.getRawUserInfo() != null) {
            // not echoed: it may be a secret
            throw new IllegalArgumentException("drover.monitor.s3.endpoint holds user information: remove it; "
                    + "credentials come from the AWS default provider chain (AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or a profile)");
        }
        return uri;
    }
}
