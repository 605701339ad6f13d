package dev.drover.standalone;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher's options: where each setting comes from, what is refused, and the error a taken port gives. */
class LaunchOptionsTest {

    @Test
    void defaultsWithoutAnySetting() {
        LaunchOptions o = LaunchOptions.parse(List.of(), Map.of(), new Properties());

        assertThat(o.mode()).isEqualTo("start");
        assertThat(o.dataDir()).isEqualTo(Path.of(".drover"));
        assertThat(o.port(StandalonePort.HTTP)).isEqualTo(8080);
        assertThat(o.port(StandalonePort.KAFKA)).isEqualTo(9092);
        assertThat(o.port(StandalonePort.POSTGRES)).isEqualTo(5433);
    }

    @Test
    void optionBeatsSystemPropertyBeatsEnvironment() {
        Properties system = new Properties();
        system.setProperty("drover.http-port", "8082");
        system.setProperty("drover.kafka-port", "9093");
        Map<String, String> env = Map.of("DROVER_HTTP_PORT", "8083", "DROVER_KAFKA_PORT", "9094",
                "DROVER_POSTGRES_PORT", "0", "DROVER_DATA_DIR", "/tmp/from-env");

        LaunchOptions o = LaunchOptions.parse(List.of("demo", "--http-port", "8081", "--data-dir=/tmp/d2"), env,
                system);

        assertThat(o.mode()).isEqualTo("demo");
        assertThat(o.port(StandalonePort.HTTP)).isEqualTo(8081);
        assertThat(o.port(StandalonePort.KAFKA)).isEqualTo(9093);
        assertThat(o.port(StandalonePort.POSTGRES)).isZero();
        assertThat(o.dataDir()).isEqualTo(Path.of("/tmp/d2"));
        assertThat(o.settings(Path.of(".")).httpPort()).isEqualTo(8081);
    }

    @Test
    void refusesWhatIsNotAPortNamingTheSetting() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--kafka-port", "70000"), Map.of(), new Properties()))
                .hasMessageContaining("--kafka-port").hasMessageContaining("70000");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of(), Map.of("DROVER_POSTGRES_PORT", "five"),
                new Properties())).hasMessageContaining("DROVER_POSTGRES_PORT");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--http-port"), Map.of(), new Properties()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--port", "1"), Map.of(), new Properties()))
                .hasMessageContaining("unknown option --port");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("stop"), Map.of(), new Properties()))
                .hasMessageContaining("'stop'");
    }

    @Test
    void aTakenPortIsOneLineNamingTheOptionAndTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> StandalonePort.KAFKA.requireFree(port))
                    .isInstanceOf(StandalonePort.InUse.class)
                    .hasMessage("Kafka port " + port + " is already in use (another Drover, or another program?): "
                            + "choose another with --kafka-port N or DROVER_KAFKA_PORT=N, or 0 for any free port");
        }
        StandalonePort.KAFKA.requireFree(0); // any free port never collides
    }
}
