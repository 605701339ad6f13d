package dev.drover.scheduler.core;

import dev.drover.scheduler.core.TriggerRules.Verdict;
import dev.drover.scheduler.pipeline.TriggerRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trigger-rule table: every rule against representative upstream outcomes, with the verdict Airflow's
 * {@code TriggerRuleDep} reaches for the same upstream states. Upstream statuses are written one letter each:
 * S succeeded, K skipped, F failed, U upstream_failed, C canceled, R running, D dispatched, P pending, W waiting for a
 * retry; {@code -} is a task without upstream tasks.
 */
class TriggerRulesTest {

    @ParameterizedTest(name = "{0} over [{1}] -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            all_success                 | -  | RUN
            all_success                 | SS | RUN
            all_success                 | SR | WAIT
            all_success                 | SW | WAIT
            all_success                 | SF | UPSTREAM_FAILED
            all_success                 | UR | UPSTREAM_FAILED
            all_success                 | CS | UPSTREAM_FAILED
            all_success                 | SK | SKIP
            all_success                 | KR | SKIP
            all_success                 | KF | UPSTREAM_FAILED
            all_failed                  | -  | RUN
            all_failed                  | FF | RUN
            all_failed                  | FU | RUN
            all_failed                  | FC | RUN
            all_failed                  | FR | WAIT
            all_failed                  | FW | WAIT
            all_failed                  | FS | SKIP
            all_failed                  | SR | SKIP
            all_failed                  | FK | SKIP
            all_done                    | -  | RUN
            all_done                    | SF | RUN
            all_done                    | KU | RUN
            all_done                    | KK | RUN
            all_done                    | SR | WAIT
            all_done                    | FW | WAIT
            one_success                 | -  | RUN
            one_success                 | SR | RUN
            one_success                 | SP | RUN
            one_success                 | FS | RUN
            one_success                 | KS | RUN
            one_success                 | FR | WAIT
            one_success                 | KW | WAIT
            one_success                 | FF | UPSTREAM_FAILED
            one_success                 | FK | UPSTREAM_FAILED
            one_success                 | KK | SKIP
            one_failed                  | -  | RUN
            one_failed                  | FR | RUN
            one_failed                  | UP | RUN
            one_failed                  | CS | RUN
            one_failed                  | SR | WAIT
            one_failed                  | SW | WAIT
            one_failed                  | SS | SKIP
            one_failed                  | SK | SKIP
            one_failed                  | KK | SKIP
            none_failed                 | -  | RUN
            none_failed                 | SS | RUN
            none_failed                 | SK | RUN
            none_failed                 | KK | RUN
            none_failed                 | SR | WAIT
            none_failed                 | KD | WAIT
            none_failed                 | SF | UPSTREAM_FAILED
            none_failed                 | UR | UPSTREAM_FAILED
            none_failed_min_one_success | -  | RUN
            none_failed_min_one_success | SS | RUN
            none_failed_min_one_success | SK | RUN
            none_failed_min_one_success | KR | WAIT
            none_failed_min_one_success | KK | SKIP
            none_failed_min_one_success | K  | SKIP
            none_failed_min_one_success | SF | UPSTREAM_FAILED
            none_failed_min_one_success | KU | UPSTREAM_FAILED
            always                      | -  | RUN
            always                      | PP | RUN
            always                      | RW | RUN
            always                      | FU | RUN
            always                      | KK | RUN
            """)
    void theTable(String rule, String upstream, Verdict expected) {
        assertThat(TriggerRules.judge(rule(rule), statuses(upstream))).isEqualTo(expected);
    }

    @Test
    void everyRuleWaitsWhileNothingUpstreamHasFinishedExceptAlways() {
        for (TriggerRule rule : TriggerRule.values()) {
            Verdict expected = rule == TriggerRule.ALWAYS ? Verdict.RUN : Verdict.WAIT;
            assertThat(TriggerRules.judge(rule, statuses("PDRW"))).as(rule.formatName()).isEqualTo(expected);
        }
    }

    @Test
    void everyRuleAndEveryFinalStatusHaveARowInTheTable() throws Exception {
        String table = TriggerRulesTest.class.getDeclaredMethod("theTable", String.class, String.class,
                Verdict.class).getAnnotation(CsvSource.class).textBlock();
        Set<TriggerRule> rules = EnumSet.noneOf(TriggerRule.class);
        Set<TaskStatus> seen = EnumSet.noneOf(TaskStatus.class);
        for (String line : table.strip().split("\n")) {
            String[] cells = line.split("\\|");
            rules.add(rule(cells[0].strip()));
            seen.addAll(statuses(cells[1].strip()));
        }
        assertThat(rules).containsExactlyInAnyOrder(TriggerRule.values());
        assertThat(seen).containsAll(EnumSet.of(TaskStatus.SUCCEEDED, TaskStatus.SKIPPED, TaskStatus.FAILED,
                TaskStatus.UPSTREAM_FAILED, TaskStatus.CANCELED, TaskStatus.RUNNING, TaskStatus.RETRY_WAIT));
    }

    @Test
    void skipReasonsNameTheUpstreamTasksThatDecided() {
        Map<String, TaskStatus> upstream = new LinkedHashMap<>();
        upstream.put("a", TaskStatus.SUCCEEDED);
        upstream.put("b", TaskStatus.SKIPPED);
        upstream.put("c", TaskStatus.SKIPPED);
        assertThat(TriggerRules.skipReason(TriggerRule.ALL_SUCCESS, upstream))
                .isEqualTo("trigger rule all_success: upstream tasks b, c were skipped");
        assertThat(TriggerRules.skipReason(TriggerRule.ALL_FAILED, Map.of("train", TaskStatus.SUCCEEDED)))
                .isEqualTo("trigger rule all_failed: upstream task train did not fail");
        assertThat(TriggerRules.skipReason(TriggerRule.ONE_FAILED, upstream))
                .isEqualTo("trigger rule one_failed: no upstream task failed");
        assertThat(TriggerRules.skipReason(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, Map.of("b", TaskStatus.SKIPPED)))
                .isEqualTo("trigger rule none_failed_min_one_success: every upstream task was skipped");
        upstream.put("d", TaskStatus.CANCELED);
        upstream.put("e", TaskStatus.FAILED);
        assertThat(TriggerRules.failedUpstream(upstream)).isEqualTo("d");
    }

    private static TriggerRule rule(String name) {
        return TriggerRule.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    private static List<TaskStatus> statuses(String letters) {
        List<TaskStatus> out = new ArrayList<>();
        if (letters.equals("-")) {
            return out;
        }
        for (char c : letters.toCharArray()) {
            out.add(switch (c) {
                case 'S' -> TaskStatus.SUCCEEDED;
                case 'K' -> TaskStatus.SKIPPED;
                case 'F' -> TaskStatus.FAILED;
                case 'U' -> TaskStatus.UPSTREAM_FAILED;
                case 'C' -> TaskStatus.CANCELED;
                case 'R' -> TaskStatus.RUNNING;
                case 'D' -> TaskStatus.DISPATCHED;
                case 'P' -> TaskStatus.PENDING;
                case 'W' -> TaskStatus.RETRY_WAIT;
                default -> throw new IllegalArgumentException("no status for " + c);
            });
        }
        return out;
    }
}
