package dev.drover.registry.core;

import java.util.Locale;
import java.util.Optional;

/**
 * MLflow's model version stages. MLflow has deprecated stages in favour of aliases, but its clients still use them,
 * so the registry keeps them alongside aliases: a version has exactly one stage, starting at {@link #NONE}.
 */
public enum ModelStage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String mlflowName;

    ModelStage(String mlflowName) {
        this.mlflowName = mlflowName;
    }

    /** The name MLflow uses on the wire ({@code None}, {@code Staging}, …). */
    public String mlflowName() {
        return mlflowName;
    }

    /** Parses a stage the way MLflow does: case-insensitively. */
    public static Optional<ModelStage> fromMlflowName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.toLowerCase(Locale.ROOT);
        for (ModelStage s : values()) {
            if (s.mlflowName.toLowerCase(Locale.ROOT).equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Staging and Production are the stages {@code archive_existing_versions} applies to (MLflow's rule). */
    public boolean archivesExisting() {
        return this == STAGING || this == PRODUCTION;
    }
}
