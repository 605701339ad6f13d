package dev.drover.registry.mlflow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageTokenTest {

    @Test
    void aTokenCarriesTheNextOffset() {
        assertThat(PageToken.decode(PageToken.encode(250))).isEqualTo(250);
        assertThat(PageToken.decode(null)).isZero();
        assertThat(PageToken.decode("")).isZero();
    }

    @Test
    void readsMlflowsOwnTokens() {
        // MLflow's stores write base64 of {"offset": n} (a number, or a string in older versions)
        String mlflow = Base64.getEncoder().encodeToString("{\"offset\": \"40\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(PageToken.decode(mlflow)).isEqualTo(40);
    }

    @Test
    void refusesTokensItDidNotWrite() {
        assertThatThrownBy(() -> PageToken.decode("not base64!"))
                .isInstanceOfSatisfying(MlflowException.class, e ->
                        assertThat(e.code()).isEqualTo(MlflowErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("it is not base64")
                .hasMessageContaining("Pass the next_page_token of the previous response unchanged");
        String other = Base64.getEncoder().encodeToString("{\"cursor\": 3}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PageToken.decode(other)).hasMessageContaining("it does not hold an offset");
    }
}
