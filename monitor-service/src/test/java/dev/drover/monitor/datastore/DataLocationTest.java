package dev.drover.monitor.datastore;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code drover.monitor.data-location} accepts, and what it says about what it refuses. */
class DataLocationTest {
    @Test
    void aPathIsADirectoryAndAnS3UriABucketAndPrefix() {
        assertThat(DataLocation.parse("/var/lib/drover/monitor-data/"))
                .isEqualTo(new DataLocation.Directory(Path.of("/var/lib/drover/monitor-data")));
        assertThat(DataLocation.parse("relative/dir")).isInstanceOf(DataLocation.Directory.class);
        assertThat(DataLocation.parse("s3://drover-monitor")).isEqualTo(new DataLocation.S3("drover-monitor", ""));
        DataLocation.S3 s3 = (DataLocation.S3) DataLocation.parse("s3://drover.monitor/prod/data/");
        assertThat(s3).isEqualTo(new DataLocation.S3("drover.monitor", "prod/data"));
        assertThat(s3.uri("churn/windows/w-p0-1.csv")).isEqualTo("s3://drover.monitor/prod/data/churn/windows/w-p0-1.csv");
        assertThat(new DataLocation.S3("b12", "").uri("m/windows/w.csv")).isEqualTo("s3://b12/m/windows/w.csv");
    }

    @Test
    void aMalformedLocationIsRefusedWithWhatIsWrongAndHowToWriteIt() {
        refused("s3://", "names no bucket", "s3://<bucket>[/<prefix>]");
        refused("s3:///prefix", "names no bucket", "s3://<bucket>[/<prefix>]");
        refused("s3:/bucket", "is not an s3:// URI", "s3://<bucket>[/<prefix>]");
        refused("S3://bucket", "is not an s3:// URI", "s3://<bucket>[/<prefix>]");
        refused("s3://My_Bucket/x", "not a valid bucket name", "lowercase letters");
        refused("s3://localhost:9000/bucket", "not a valid bucket name", "drover.monitor.s3.endpoint");
        refused("s3://ab", "not a valid bucket name", "3 to 63");
        refused("s3://bucket//x", "empty path segment", "s3://<bucket>[/<prefix>]");
        refused("s3://bucket/x?versionId=1", "query", "s3://<bucket>[/<prefix>]");
        refused("s3://bucket/a,b", "comma", "has none");
        refused("s3a://bucket/x", "scheme the monitor cannot write to", "s3://<bucket>[/<prefix>]");
        refused("gs://bucket/x", "scheme the monitor cannot write to", "local directory");
        refused("file:///data/monitor", "file: URI", "/data/monitor");
        refused("/data/a,b", "comma", "has none");
    }

    @Test
    void anEndpointIsAnHttpUrlWithoutCredentials() {
        assertThat(S3Settings.endpoint(" http://127.0.0.1:9000 ").toString()).isEqualTo("http://127.0.0.1:9000");
        assertThat(S3Settings.endpoint("")).isNull();
        assertThatThrownBy(() -> S3Settings.endpoint("localhost:9000")).hasMessageContaining("http(s)://host");
        assertThatThrownBy(() -> S3Settings.endpoint("http://AKIA:secret@minio:9000"))
                .hasMessageContaining("credentials come from the AWS default provider chain")
                .message().doesNotContain("secret");
    }

    private static void refused(String location, String problem, String fix) {
        assertThatThrownBy(() -> DataLocation.parse(location)).as(location)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drover.monitor.data-location '" + location + "'")
                .hasMessageContaining(problem).hasMessageContaining(fix);
    }
}
