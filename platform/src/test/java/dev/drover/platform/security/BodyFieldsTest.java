package dev.drover.platform.security;

import io.micronaut.http.MediaType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodyFieldsTest {

    private static String id(String body, MediaType type) {
        return BodyFields.topLevelText(body.getBytes(StandardCharsets.UTF_8), type, "id");
    }

    @Test
    void findsTheTopLevelFieldOfJsonAndYamlAndNothingNestedOrRepeated() {
        assertThat(id("{\"tasks\": [{\"id\": \"inner\"}], \"id\": \"team-a-x\"}", MediaType.APPLICATION_JSON_TYPE))
                .isEqualTo("team-a-x");
        assertThat(id("tasks:\n  - {id: inner}\nid: team-a-y\n", MediaType.of("application/yaml")))
                .isEqualTo("team-a-y");
        assertThat(id("id: team-a-z\n", MediaType.TEXT_PLAIN_TYPE)).as("a spec sent as text").isEqualTo("team-a-z");
        assertThat(id("{\"tasks\": [{\"id\": \"inner\"}]}", MediaType.APPLICATION_JSON_TYPE))
                .as("only nested").isNull();
        assertThat(id("{\"id\": \"team-a-x\", \"id\": \"team-b-x\"}", MediaType.APPLICATION_JSON_TYPE))
                .as("named twice").isNull();
        assertThat(id("{\"id\": 7}", MediaType.APPLICATION_JSON_TYPE)).as("not text").isNull();
        assertThat(id("[\"id\", \"x\"]", MediaType.APPLICATION_JSON_TYPE)).as("not an object").isNull();
        assertThat(id("{\"id\": \"x\"", MediaType.APPLICATION_JSON_TYPE)).as("cut off").isNull();
        assertThat(id("\u0000\u00ff{", null)).as("bytes").isNull();
    }
}
