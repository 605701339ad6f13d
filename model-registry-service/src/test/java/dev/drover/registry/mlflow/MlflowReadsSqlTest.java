package dev.drover.registry.mlflow;

import dev.drover.registry.readmodel.ReadCache;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.registry.mlflow.ReadModelFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MLflow reads (filters, orders, pages, latest versions) against the real read-model tables in PostgreSQL,
 * filled directly with rows.
 */
class MlflowReadsSqlTest {
    private static final String NOT_A_PROMPT = "tags.`mlflow.prompt.is_prompt` != 'true'";
    private static MlflowReads reads;

    @BeforeAll
    static void fillTheReadModel() {
        ReadModelFixture db = new ReadModelFixture("mlflow_reads");
        db.model("churn", 1, 60, "alice", "predicts churn").modelTag("churn", "team", "fraud")
                .modelTag("churn", "owner", "alice")
                .model("churn-v2", 2, 20, "bob", null).modelTag("churn-v2", "team", "growth")
                .model("Churny", 3, 30, "bob", null)
                .model("fraud-prompt", 4, 40, "carol", null).modelTag("fraud-prompt", "mlflow.prompt.is_prompt", "true")
                .model("zeta", 5, 10, "dave", null).modelTag("zeta", "mlflow.prompt.is_prompt", "false");
        db.version("churn", 1, "Archived", "r1", "s3://bucket/churn/1", 10, 50)
                .version("churn", 2, "Production", "r2", "s3://bucket/churn/2", 11, 51)
                .version("churn", 3, "Staging", "r2", "s3://bucket/churn/3", 12, 52)
                .version("churn", 4, "None", "r3", "gs://other/churn/4", 13, 53)
                .version("churn", 5, "Staging", null, "s3://bucket/churn/5", 14, 54)
                .version("churn-v2", 1, "None", "r1", "s3://bucket/churn-v2/1", 15, 55)
                .versionTag("churn", 2, "validated", "yes").versionTag("churn", 3, "validated", "no")
                .alias("churn", "champion", 2).alias("churn", "challenger", 3).alias("churn", "shadow", 2);
        reads = new MlflowReads(new MlflowRegistryQueries(db.dataSource), new ReadCache());
    }

    @Test
    void aRegisteredModelHasItsTagsAliasesAndTheNewestVersionOfEachStage() {
        RegisteredModelView churn = reads.model("churn");

        assertThat(churn.description()).isEqualTo("predicts churn");
        assertThat(churn.createdBy()).isEqualTo("alice");
        assertThat(churn.createdAt()).isEqualTo(at(1));
        assertThat(churn.updatedAt()).isEqualTo(at(60));
        assertThat(churn.tags()).isEqualTo(Map.of("team", "fraud", "owner", "alice"));
        assertThat(churn.aliases()).isEqualTo(Map.of("champion", 2, "challenger", 3, "shadow", 2));
        assertThat(churn.latestVersions()).extracting(ModelVersionView::version, ModelVersionView::stage)
                .containsExactly(tuple(1, "Archived"), tuple(2, "Production"), tuple(4, "None"), tuple(5, "Staging"));
        ModelVersionView production = churn.latestVersions().get(1);
        assertThat(production.aliases()).containsExactly("champion", "shadow");
        assertThat(production.tags()).isEqualTo(Map.of("validated", "yes"));
        assertThat(production.runId()).isEqualTo("r2");
        assertThat(production.source()).isEqualTo("s3://bucket/churn/2");
    }

    @Test
    void latestVersionsAreFilteredByStageCaseInsensitively() {
        assertThat(reads.latestVersions("churn", List.of("staging"))).extracting(ModelVersionView::version)
                .containsExactly(5);
        assertThat(reads.latestVersions("churn", List.of("Production", "NONE")))
                .extracting(ModelVersionView::version).containsExactly(2, 4);
        assertThat(reads.latestVersions("Churny", List.of())).isEmpty();
        assertThatThrownBy(() -> reads.latestVersions("churn", List.of("Live")))
                .hasMessage("Invalid Model Version stage: Live. Value must be one of None, Staging, Production, "
                        + "Archived.");
        assertThatThrownBy(() -> reads.latestVersions("nope", List.of()))
                .isInstanceOfSatisfying(MlflowException.class, e ->
                        assertThat(e.code()).isEqualTo(MlflowErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageStartingWith("Registered Model with name=nope not found.");
    }

    @Test
    void versionsAndAliasesThatDoNotExistAreReportedAsMlflowDoes() {
        assertThat(reads.versionByAlias("churn", "challenger").version()).isEqualTo(3);
        assertThatThrownBy(() -> reads.version("churn", 9))
                .hasMessageStartingWith("Model Version (name=churn, version=9) not found.");
        assertThatThrownBy(() -> reads.version("nope", 1))
                .hasMessageStartingWith("Registered Model with name=nope not found.");
        assertThatThrownBy(() -> reads.versionByAlias("churn", "gold"))
                .hasMessageStartingWith("Registered model alias gold not found.");
    }

    @Test
    void searchesRegisteredModelsByNamePatternAndTags() {
        assertThat(modelNames("name LIKE 'churn%'")).containsExactly("churn", "churn-v2");
        assertThat(modelNames("name ILIKE 'churn%'")).containsExactly("Churny", "churn", "churn-v2");
        assertThat(modelNames("name = 'churn'")).containsExactly("churn");
        assertThat(modelNames("name != 'churn' AND name LIKE 'churn%'")).containsExactly("churn-v2");
        assertThat(modelNames("name IN ('zeta', 'churn')")).containsExactly("churn", "zeta");
        assertThat(modelNames("tags.team = 'fraud'")).containsExactly("churn");
        assertThat(modelNames("tags.team LIKE 'fr%' AND tags.owner = 'alice'")).containsExactly("churn");
        assertThat(modelNames("tags.team != 'fraud'")).containsExactly("churn-v2");
    }

    @Test
    void theFilterMlflowsPythonClientAddsLeavesPromptsOut() {
        assertThat(modelNames(NOT_A_PROMPT)).containsExactly("Churny", "churn", "churn-v2", "zeta");
        assertThat(modelNames("tags.`mlflow.prompt.is_prompt` = 'true'")).containsExactly("fraud-prompt");
    }

    @Test
    void ordersRegisteredModels() {
        List<String> byUpdate = reads.searchModels(null, null, List.of("last_updated_timestamp DESC"), null).items()
                .stream().map(RegisteredModelView::name).toList();
        assertThat(byUpdate).containsExactly("churn", "fraud-prompt", "Churny", "churn-v2", "zeta");
        List<String> byName = reads.searchModels(null, null, List.of("name DESC"), null).items().stream()
                .map(RegisteredModelView::name).toList();
        assertThat(byName).containsExactly("zeta", "fraud-prompt", "churn-v2", "churn", "Churny");
    }

    @Test
    void pagesThroughRegisteredModelsWithTokens() {
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            SearchPage<RegisteredModelView> page = reads.searchModels(NOT_A_PROMPT, 2L, List.of(), token);
            page.items().forEach(m -> seen.add(m.name()));
            pageSizes.add(page.items().size());
            token = page.nextPageToken();
        } while (token != null);

        assertThat(seen).containsExactly("Churny", "churn", "churn-v2", "zeta");
        assertThat(pageSizes).containsExactly(2, 2);
    }

    @Test
    void checksMaxResultsAsMlflowDoes() {
        assertThat(reads.searchModels(null, null, List.of(), null).items()).hasSize(5);
        assertThatThrownBy(() -> reads.searchModels(null, 1001L, List.of(), null))
                .hasMessageStartingWith("Invalid value for request parameter max_results. It must be at most 1000, "
                        + "but got value 1001.");
        assertThatThrownBy(() -> reads.searchVersions(null, 0L, List.of(), null))
                .hasMessageStartingWith("Invalid value for max_results. It must be a positive integer, but got 0.");
        assertThat(reads.searchVersions(null, 200_000L, List.of(), null).items()).hasSize(6);
    }

    @Test
    void searchesModelVersionsByRunSourceNumberAndTags() {
        assertThat(versions("run_id IN ('r2', 'r3')", List.of("version_number ASC")))
                .containsExactly("churn/2", "churn/3", "churn/4");
        assertThat(versions("run_id = 'r1'", List.of())).containsExactly("churn-v2/1", "churn/1");
        assertThat(versions("name = 'churn' AND version_number > 3", List.of())).containsExactly("churn/5", "churn/4");
        assertThat(versions("version_number <= 1", List.of("name ASC"))).containsExactly("churn/1", "churn-v2/1");
        assertThat(versions("source_path LIKE 'gs://%'", List.of())).containsExactly("churn/4");
        assertThat(versions("tags.validated = 'yes'", List.of())).containsExactly("churn/2");
        assertThat(versions("name = 'churn' AND run_id NOT IN ('r2')", List.of("version_number DESC")))
                .containsExactly("churn/4", "churn/1");
    }

    @Test
    void modelVersionsComeNewestUpdateFirstByDefaultAndWithTheirAliases() {
        List<ModelVersionView> all = reads.searchVersions("name = 'churn'", null, List.of(), null).items();
        assertThat(all).extracting(ModelVersionView::version).containsExactly(5, 4, 3, 2, 1);
        assertThat(all.get(3).aliases()).containsExactly("champion", "shadow");
        assertThat(all.get(2).aliases()).containsExactly("challenger");
        assertThat(all.get(2).tags()).isEqualTo(Map.of("validated", "no"));
    }

    @Test
    void pagesThroughModelVersionsWithoutGapsOrRepeats() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            SearchPage<ModelVersionView> page = reads.searchVersions(null, 4L,
                    List.of("name ASC", "version_number DESC"), token);
            page.items().forEach(v -> seen.add(v.name() + "/" + v.version()));
            token = page.nextPageToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("churn/5", "churn/4", "churn/3", "churn/2", "churn/1", "churn-v2/1");
    }

    private static List<String> modelNames(String filter) {
        return reads.searchModels(filter, null, List.of(), null).items().stream().map(RegisteredModelView::name)
                .toList();
    }

    private static List<String> versions(String filter, List<String> orderBy) {
        return reads.searchVersions(filter, null, orderBy, null).items().stream()
                .map(v -> v.name() + "/" + v.version()).toList();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
