package dev.drover.platform.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTokensTest {

    @Test
    void anIssuedTokenParsesAndMatchesItsHashOnly() {
        ApiTokens.Issued issued = ApiTokens.issue();
        assertThat(issued.token()).startsWith("drv_" + issued.id() + "_");
        ApiTokens.Presented presented = ApiTokens.parse(issued.token()).orElseThrow();
        assertThat(presented.id()).isEqualTo(issued.id());
        assertThat(ApiTokens.matches(presented.secret(), issued.secretHash())).isTrue();
        assertThat(ApiTokens.matches(presented.secret(), ApiTokens.issue().secretHash())).isFalse();
        assertThat(issued.toString()).doesNotContain(presented.secret());
        assertThat(presented.toString()).doesNotContain(presented.secret());
    }

    @Test
    void malformedTokensDoNotParse() {
        String good = ApiTokens.issue().token();
        for (String bad : new String[]{"", "drv_", good.substring(1), good + "x", good.replace('_', '-'),
                "drv_ABCDEFGH12345678_" + good.substring(22), good.substring(0, good.length() - 1) + "\u0000"}) {
            assertThat(ApiTokens.parse(bad)).as(bad).isEmpty();
        }
    }
}
