package dev.drover.scheduler.expression;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReferencesTest {

    @Test
    void findsKeysSelectedIndexedTestedAndCheckedForMembership() {
        assertThat(References.keysOf("tasks.train.outputs.auc > 0.8 && has(tasks.evaluate) "
                + "&& tasks['data-prep'].outputs.rows > 0 && 'lint' in tasks && size(tasks) > 0", "tasks"))
                .containsExactly("train", "evaluate", "data-prep", "lint");
    }

    @Test
    void ignoresOtherVariablesComputedKeysAndFieldsDeeperDown() {
        assertThat(References.keysOf("params.tasks == run.id && tasks[params.name].outputs.x && "
                + "tasks.a.outputs.tasks", "tasks")).containsExactly("a");
        assertThat(References.keysOf("params.x", "tasks")).isEmpty();
    }

    @Test
    void findsNothingInWhatDoesNotParse() {
        assertThat(References.keysOf("tasks.a >", "tasks")).isEmpty();
    }
}
