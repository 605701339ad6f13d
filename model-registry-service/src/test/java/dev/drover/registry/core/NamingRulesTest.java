package dev.drover.registry.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The naming rules themselves, including the path normalization MLflow borrows from Python. */
class NamingRulesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a|a", "a/b|a/b", "a//b|a/b", "a/./b|a/b", "a/../b|b", "/a|/a", "//a|//a", "///a|/a", "a/|a",
            "./a|a", "..|..", "../a|../a", "a/..|.", "../../a|../../a", "/..|/", ".|."})
    void normpath_behaves_like_pythons_posixpath(String path, String expected) {
        assertThat(NamingRules.normpath(path)).isEqualTo(expected);
    }

    @Test
    void normpath_of_the_empty_string_is_dot() {
        assertThat(NamingRules.normpath("")).isEqualTo(".");
    }

    @Test
    void a_key_starting_with_two_dots_is_refused_as_mlflow_does() {
        assertThat(NamingRules.key("tag", "..hidden")).isPresent();
        assertThat(NamingRules.key("tag", "a..b")).isEmpty();
    }

    @Test
    void problems_say_what_to_change() {
        assertThat(NamingRules.alias("latest")).get().asString().contains("reserved", "choose another name");
        assertThat(NamingRules.alias("v3")).get().asString().contains("names a version");
        assertThat(NamingRules.alias("a b")).get().asString().contains("letters, digits, underscores (_) and dashes");
        assertThat(NamingRules.modelName("a/b")).get().asString().contains("use - or _ instead");
        assertThat(NamingRules.key("metric", "x;y")).get().asString().contains("may only contain");
    }

    @Test
    void alias_letters_include_unicode_as_pythons_word_class_does() {
        assertThat(NamingRules.alias("produção")).isEmpty();
        assertThat(NamingRules.alias("v١٢")).as("arabic-indic digits are digits too").isPresent();
    }

    @Test
    void feature_set_names_follow_the_model_name_rules() {
        assertThat(NamingRules.featureSetName("churn-features")).isEmpty();
        assertThat(NamingRules.featureSetName("a%b")).get().asString().contains("feature set", "'%'");
    }
}
