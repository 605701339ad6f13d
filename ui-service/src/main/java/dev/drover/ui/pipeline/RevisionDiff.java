package dev.drover.ui.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Two revisions of a pipeline side by side, as the YAML people write: each spec rendered the same way (so that only
 * what changed differs), compared line by line with java-diff-utils.
 */
public final class RevisionDiff {
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** A line of the comparison: what it is in the old revision and in the new one. */
    public record Line(String kind, String before, String after) {
    }

    private RevisionDiff() {
    }

    public static List<Line> between(JsonNode before, JsonNode after) {
        DiffRowGenerator generator = DiffRowGenerator.create().showInlineDiffs(false).build();
        List<Line> out = new ArrayList<>();
        for (DiffRow row : generator.generateDiffRows(lines(before), lines(after))) {
            out.add(new Line(row.getTag().name().toLowerCase(java.util.Locale.ROOT), row.getOldLine(),
                    row.getNewLine()));
        }
        return out;
    }

    static List<String> lines(JsonNode spec) {
        try {
            return List.of(YAML.writeValueAsString(spec).split("\n"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
