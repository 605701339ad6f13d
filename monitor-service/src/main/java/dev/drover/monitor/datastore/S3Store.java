package dev.drover.monitor.datastore;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Production data as objects of an S3-compatible bucket. A PUT replaces an object whole, so readers never see part
 * of one, and a window written again after a restart is the same PUT again.
 *
 * <p>The content is staged in a temporary file (java.io.tmpdir) rather than in memory: a window can hold a million
 * rows, and the SDK may have to send the body again on a retry.
 *
 * <p><b>An unreachable store.</b> Every call is bounded by {@code drover.monitor.s3.timeout}, retries included, because
 * the window loop writes inside its Kafka transaction. After a call that got no answer (a timeout, a refused
 * connection), writes in the next {@code timeout} fail at once without trying: otherwise many models closing windows
 * in one step would each wait the whole timeout and the transaction would time out. Those windows are then recorded
 * without data, as when a disk is full; the trade-off is that a store that comes back within that time is not asked.
 */
final class S3Store implements DataStore {
    /** What the monitor writes, below the prefix: the sweep deletes nothing else someone keeps in the bucket. */
    private static final Pattern KEPT = Pattern.compile("[^/]+/(windows|labeled)/[^/]+\\.csv");

    private final DataLocation.S3 location;
    private final String where;
    private final Duration timeout;
    private final S3Client client;
    private volatile long unreachableUntilNanos = System.nanoTime();
    private volatile String lastFailure = "";

    S3Store(DataLocation.S3 location, S3Settings settings) {
        this.location = location;
        this.timeout = settings.timeout();
        this.where = location + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
        Duration connect = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                .forcePathStyle(settings.pathStyleAccess())
                .region(region(settings))
                // S3-compatible servers do not all know the newer checksum headers; a PUT's integrity is TCP's and
                // the signature's, as before SDK 2.30
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        // credentials: the SDK's default provider chain, looked up at the first call
        this.client = b.build();
    }

    private static Region region(S3Settings settings) {
        if (settings.region() != null && !settings.region().isBlank()) {
            return Region.of(settings.region().strip());
        }
        if (settings.endpoint() != null) {
            // most S3-compatible servers accept any region; asking the chain could wait for EC2 instance metadata
            return Region.US_EAST_1;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("drover.monitor.data-location is an s3:// location but no AWS region "
                    + "is known: set drover.monitor.s3.region (or AWS_REGION)", e);
        }
    }

    @Override
    public String location(String key) {
        return location.uri(key);
    }

    @Override
    public void write(String key, Content content) throws IOException {
        String uri = location.uri(key);
        long now = System.nanoTime();
        if (now - unreachableUntilNanos < 0) {
            throw new IOException("cannot write " + uri + ": not tried, " + where + " did not answer a moment ago ("
                    + lastFailure + "); trying again in " + Duration.ofNanos(unreachableUntilNanos - now).toSeconds()
                    + " s");
        }
        Path staged = Files.createTempFile("drover-production-data-", ".csv");
        try {
            try (Writer w = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
                content.writeTo(w);
            }
            client.putObject(r -> r.bucket(location.bucket()).key(location.objectKey(key))
                    .contentType("text/csv; charset=utf-8"), RequestBody.fromFile(staged));
        } catch (SdkException e) {
            throw failed("cannot write " + uri, e);
        } finally {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                // not worth hiding whether the object was stored; the file is java.io.tmpdir's to clean
            }
        }
    }

    @Override
    public int deleteWrittenBefore(Instant cutoff) throws IOException {
        String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        int deleted = 0;
        try {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(prefix))
                    .contents()) {
                if (KEPT.matcher(o.key().substring(prefix.length())).matches() && o.lastModified().isBefore(cutoff)) {
                    client.deleteObject(r -> r.bucket(location.bucket()).key(o.key()));
                    deleted++;
                }
            }
        } catch (SdkException e) {
            throw failed("cannot sweep " + location + " after " + deleted + " deletions", e);
        }
        return deleted;
    }

    /** An SDK failure as an IOException that says where, and what to look at. */
    private IOException failed(String what, SdkException e) {
        String reason;
        if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            reason = s.statusCode() + " " + code + ": " + s.awsErrorDetails().errorMessage() + hint(code);
        } else {
            reason = e.getMessage();
            if (e instanceof SdkClientException) {
                lastFailure = reason;
                unreachableUntilNanos = System.nanoTime() + timeout.toNanos();
            }
        }
        return new IOException(what + " (" + where + "): " + reason, e);
    }

    private static String hint(String code) {
        if (code == null) {
            return "";
        }
        return switch (code) {
            case "NoSuchBucket" -> " (create the bucket, or fix drover.monitor.data-location)";
            case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken" ->
                    " (check the credentials the AWS default provider chain finds: AWS_ACCESS_KEY_ID and "
                            + "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a role; and that they may write to the bucket)";
            case "PermanentRedirect", "AuthorizationHeaderMalformed" -> " (set drover.monitor.s3.region to the "
                    + "bucket's region)";
            default -> "";
        };
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return where;
    }
}
