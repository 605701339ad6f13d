package dev.drover.ui.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two revisions compared as YAML: only what changed is marked. */
class RevisionDiffTest {

    @Test
    void marksTheChangedTaskAndKeepsTheRest() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<RevisionDiff.Line> lines = RevisionDiff.between(
                json.readTree("{\"id\": \"p\", \"tasks\": [{\"id\": \"a\", \"type\": \"shell\", \"command\": "
                        + "\"echo 1\"}]}"),
                json.readTree("{\"id\": \"p\", \"tasks\": [{\"id\": \"a\", \"type\": \"shell\", \"command\": "
                        + "\"echo 2\"}, {\"id\": \"b\", \"type\": \"noop\"}]}"));
        assertThat(lines).filteredOn(l -> l.kind().equals("equal")).extracting(RevisionDiff.Line::before)
                .contains("id: p", "tasks:", "- id: a");
        assertThat(lines).filteredOn(l -> l.kind().equals("change")).extracting(RevisionDiff.Line::after)
                .anySatisfy(after -> assertThat(after).contains("echo 2"));
        assertThat(lines).filteredOn(l -> !l.kind().equals("equal")).extracting(RevisionDiff.Line::after)
                .anySatisfy(after -> assertThat(after).contains("id: b"));
    }
}
