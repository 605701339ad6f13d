package dev.drover.platform.security.secrets;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretReferencesTest {

    @Test
    void findsEveryNameAsAuthorsWriteIt() {
        Map<String, Object> config = Map.of(
                "command", "psql -U app --password={{secrets.db_password}} && echo {{- secrets.api_key -}}",
                "env", Map.of("TOKEN", "{{ secrets . token }}", "PLAIN", "secrets.not_a_reference"),
                "args", List.of("{{ secrets.db_password }}", 3));
        assertThat(SecretReferences.names(config)).containsExactlyInAnyOrder("db_password", "api_key", "token");
        assertThat(SecretReferences.names(Map.of("command", "echo {{ params.x }}"))).isEmpty();
    }

    @Test
    void fillsOnlyThePlaceholdersOfTheGivenNames() {
        Map<String, Object> rendered = Map.of(
                "command", "login " + SecretReferences.placeholder("db") + " " + SecretReferences.placeholder("other"),
                "env", Map.of("K", SecretReferences.placeholder("db")),
                "list", List.of("$x\\y " + SecretReferences.placeholder("db")));
        @SuppressWarnings("unchecked")
        Map<String, Object> filled = (Map<String, Object>) SecretReferences.fill(rendered, Map.of("db", "p$1\\w"));
        assertThat(filled.get("command")).isEqualTo("login p$1\\w {{ secrets.other }}");
        assertThat(filled.get("env")).isEqualTo(Map.of("K", "p$1\\w"));
        assertThat(filled.get("list")).isEqualTo(List.of("$x\\y p$1\\w"));
    }
}
