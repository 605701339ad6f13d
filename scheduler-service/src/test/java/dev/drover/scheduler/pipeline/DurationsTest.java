package dev.drover.scheduler.pipeline;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, 500",
            "30s, 30000",
            "5m, 300000",
            "2h, 7200000",
            "1d, 86400000",
            "1m30s, 90000",
            "1d2h3m4s5ms, 93784005",
            "0s, 0",
            "PT30S, 30000",
            "PT0.5S, 500",
            "PT1.25S, 1250",
            "P1DT2H, 93600000",
            "PT1H30M, 5400000",
            "P2D, 172800000",
    })
    void parsesShortAndIsoForms(String text, long millis) {
        assertThat(Durations.parse(text).value()).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "1.5h", "30sec", "s", "30s1m", "1h1h", "-5s", "PT", "P", "PT-5S", "pt30s",
            "PT0.0001S", "1 m", "5M", "99999999999999999999d", "106751991167301d"})
    void rejectsEverythingElseWithAReason(String text) {
        Durations.Result result = Durations.parse(text);
        assertThat(result).isInstanceOf(Durations.Result.Invalid.class);
        assertThat(((Durations.Result.Invalid) result).reason()).isNotBlank();
        assertThat(result.value()).isEmpty();
    }

    @Test
    void reasonsSayHowToFix() {
        assertThat(reason("30")).contains("no unit").contains("30s");
        assertThat(reason("-5s")).contains("negative");
        assertThat(reason("PT0.0001S")).contains("millisecond");
        assertThat(reason("1.5h")).contains("1m30s");
        assertThat(reason("106751991167301d")).contains("too long");
        assertThat(reason(null)).contains("30s");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "500, 500ms",
            "1500, 1s500ms",
            "90000, 1m30s",
            "3600000, 1h",
            "5400000, 1h30m",
            "86400000, 1d",
            "93784005, 1d2h3m4s5ms",
    })
    void formatsTheShortForm(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text).value()).contains(Duration.ofMillis(millis));
    }

    @Test
    void formatRefusesWhatNoDocumentCanHold() {
        assertThatThrownBy(() -> Durations.format(Duration.ofNanos(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String reason(String text) {
        return ((Durations.Result.Invalid) Durations.parse(text)).reason();
    }
}
