package dev.drover.platform.security;

import dev.drover.platform.security.Access.Allowed;
import dev.drover.platform.security.Access.Forbidden;
import dev.drover.platform.security.Access.Unauthenticated;
import dev.drover.platform.security.Authentication.Anonymous;
import dev.drover.platform.security.Authentication.Authenticated;
import dev.drover.platform.security.Authentication.Refused;
import dev.drover.platform.security.identity.AccountKind;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTest {

    private static Authenticated as(Grant... grants) {
        return new Authenticated(new Principal("ada", AccountKind.PERSON, Set.of(grants)));
    }

    @Test
    void anonymousAndRefusedAre401AndAMissingPermissionIs403NamingIt() {
        assertThat(Access.decide(new Anonymous(), Permission.READ, null)).isInstanceOf(Unauthenticated.class);
        assertThat(Access.decide(new Refused("bad", "fix"), Permission.READ, null))
                .isEqualTo(new Unauthenticated("bad", "fix"));
        Access denied = Access.decide(as(Grant.of(Role.VIEWER)), Permission.AUTHOR, "train");
        assertThat(denied).isInstanceOf(Forbidden.class);
        assertThat(((Forbidden) denied).reason()).contains("author").contains("train");
        assertThat(((Forbidden) denied).fix()).contains("author").contains("admin").doesNotContain("viewer");
    }

    @Test
    void scopedGrantsCoverOnlyResourcesUnderTheirPrefix() {
        Authenticated fraudOperator = as(new Grant(Role.OPERATOR, "fraud-"));
        assertThat(Access.decide(fraudOperator, Permission.OPERATE, "fraud-train")).isInstanceOf(Allowed.class);
        assertThat(Access.decide(fraudOperator, Permission.OPERATE, "churn-train")).isInstanceOf(Forbidden.class);
        assertThat(Access.decide(fraudOperator, Permission.READ, null)).as("a list needs an unscoped grant")
                .isInstanceOf(Forbidden.class);
        assertThat(Access.decide(as(Grant.of(Role.ADMIN)), Permission.APPROVE, "anything"))
                .isInstanceOf(Allowed.class);
    }

    @Test
    void everyPermissionIsHeldByAdminAndByAtLeastOneOtherRole() {
        for (Permission p : Permission.values()) {
            assertThat(Role.ADMIN.allows(p)).isTrue();
            if (p != Permission.ADMIN) {
                assertThat(java.util.Arrays.stream(Role.values()).filter(r -> r != Role.ADMIN && r.allows(p)))
                        .as(p.name()).isNotEmpty();
            }
        }
        assertThat(Role.byName("Model-Maintainer")).contains(Role.MODEL_MAINTAINER);
        assertThat(Role.byName("root")).isEmpty();
    }
}
