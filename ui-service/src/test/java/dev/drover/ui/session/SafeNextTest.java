package dev.drover.ui.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** After signing in, the browser goes back only to a page of this site: the form is no open redirect. */
class SafeNextTest {

    @Test
    void onlyPathsOfThisSite() {
        assertThat(SignInController.safeNext("/ui/runs/a.1?x=1")).isEqualTo("/ui/runs/a.1?x=1");
        assertThat(SignInController.safeNext("https://evil.example/")).isEqualTo("/ui/pipelines");
        assertThat(SignInController.safeNext("//evil.example/")).isEqualTo("/ui/pipelines");
        assertThat(SignInController.safeNext("/\\evil.example/")).isEqualTo("/ui/pipelines");
        assertThat(SignInController.safeNext(null)).isEqualTo("/ui/pipelines");
    }
}
