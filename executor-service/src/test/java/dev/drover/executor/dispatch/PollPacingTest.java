package dev.drover.executor.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PollPacingTest {

    @Test
    void aLoneIdleWorkerPollsBriefly() {
        PollPacing pacing = new PollPacing();
        for (int i = 0; i < 100; i++) {
            Duration wait = pacing.begin();
            assertThat(wait).isBetween(Duration.ofMillis(3), Duration.ofMillis(7));
            pacing.end();
        }
        assertThat(pacing.polling()).isZero();
    }

    @Test
    void idleWorkersShareOnePollEveryFewMilliseconds() {
        PollPacing pacing = new PollPacing();
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waits.add(pacing.begin());
        }
        // the tenth idle worker waits ten spacings, give or take the jitter
        assertThat(waits.get(9)).isBetween(Duration.ofMillis(37), Duration.ofMillis(63));
        assertThat(pacing.polling()).isEqualTo(10);
        waits.forEach(w -> pacing.end());
        assertThat(pacing.polling()).isZero();
    }

    @Test
    void manyIdleWorkersWaitAtMostTheCapPlusJitter() {
        PollPacing pacing = new PollPacing();
        Duration last = null;
        for (int i = 0; i < 200; i++) {
            last = pacing.begin();
        }
        assertThat(last).isBetween(Duration.ofMillis(150), Duration.ofMillis(250));
    }
}
