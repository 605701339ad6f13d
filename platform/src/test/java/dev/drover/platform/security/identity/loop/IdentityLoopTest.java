package dev.drover.platform.security.identity.loop;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.ApiTokens;
import dev.drover.platform.security.Authentication;
import dev.drover.platform.security.Authenticator;
import dev.drover.platform.security.BcryptPasswordHasher;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.platform.security.identity.wire.IdentityCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The identity loop and views on a real broker: commands decided into events, a view in another "service" that
 * sees a new token and its revocation within seconds, a poison record on the events topic skipped without stopping
 * the view, and a fresh view (a restart) that rebuilds the same identities from the log.
 */
class IdentityLoopTest {
    private static final IdentityCodec CODEC = new IdentityCodec();
    private static final Authenticator AUTHENTICATOR = new Authenticator(new BcryptPasswordHasher(4));
    private static String bootstrap;
    private static DecisionLoop loop;
    private static IdentityGateway gateway;
    private static IdentityView view;

    @BeforeAll
    static void start() {
        bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        loop = IdentityLoop.create(bootstrap, "identity-loop-test", Duration.ofSeconds(10), CODEC, Clock.systemUTC());
        loop.start();
        gateway = new IdentityGateway(bootstrap, CODEC);
        view = new IdentityView(bootstrap, "identity-view-test", CODEC).start();
    }

    @AfterAll
    static void stop() {
        view.close();
        gateway.close();
        loop.close();
    }

    private static List<IdentityEvent> send(IdentityCommand command) throws Exception {
        return gateway.send(command, null).get(30, TimeUnit.SECONDS);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aTokenIssuedThroughTheLoopWorksInAViewAndStopsWorkingWhenRevoked() throws Exception {
        String name = "svc-" + id().substring(0, 8);
        assertThat(send(new IdentityCommand.CreateAccount(id(), name, AccountKind.SERVICE, null, "test")))
                .singleElement().isInstanceOf(IdentityEvent.AccountCreated.class);
        assertThat(send(new IdentityCommand.GrantRole(id(), name, new Grant(Role.OPERATOR, "fraud-"), "test")))
                .singleElement().isInstanceOf(IdentityEvent.RoleGranted.class);
        String grantAgain = id();
        assertThat(send(new IdentityCommand.GrantRole(grantAgain, name, new Grant(Role.OPERATOR, "fraud-"), "test")))
                .as("a grant held already decides nothing").isEmpty();
        ApiTokens.Issued token = ApiTokens.issue();
        assertThat(send(new IdentityCommand.IssueToken(id(), token.id(), name, token.secretHash(), null, "ci",
                "test"))).singleElement().isInstanceOf(IdentityEvent.TokenIssued.class);

        String header = "Bearer " + token.token();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Authentication a = AUTHENTICATOR.authenticate(view.current(), header, Instant.now());
            assertThat(a).isInstanceOf(Authentication.Authenticated.class);
            assertThat(((Authentication.Authenticated) a).principal().grants())
                    .containsExactly(new Grant(Role.OPERATOR, "fraud-"));
        });

        send(new IdentityCommand.RevokeToken(id(), token.id(), "test"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(AUTHENTICATOR.authenticate(view.current(), header, Instant.now()))
                        .isInstanceOf(Authentication.Refused.class));
    }

    @Test
    void aRejectionKeepsNothingAndARepeatedCommandIsDecidedOnce() throws Exception {
        String bad = "Bad Name\u0000";
        List<IdentityEvent> rejected = send(new IdentityCommand.CreateAccount(id(), bad, AccountKind.PERSON, null,
                "test"));
        assertThat(rejected).singleElement().isInstanceOfSatisfying(IdentityEvent.IdentityCommandRejected.class,
                r -> assertThat(r.code()).isEqualTo("invalid_account_name"));
        assertThat(rejected.get(0).toString()).doesNotContain(bad);

        String name = "ada-" + id().substring(0, 8);
        String commandId = id();
        IdentityCommand create = new IdentityCommand.CreateAccount(commandId, name, AccountKind.PERSON, null, "test");
        assertThat(send(create)).hasSize(1);
        assertThat(send(create)).as("the same command id again: decided before, nothing new").isEmpty();
    }

    @Test
    void poisonOnTheEventsTopicIsSkippedAndAFreshViewRebuildsTheSameIdentities() throws Exception {
        long skippedBefore = view.skipped();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.IDENTITY_EVENTS, IdentityCodec.KEY,
                    new byte[]{0, 1, 2, 3, (byte) 0xff})).get();
        }
        String after = "after-poison-" + id().substring(0, 8);
        send(new IdentityCommand.CreateAccount(id(), after, AccountKind.PERSON, null, "test"));
        await().atMost(Duration.ofSeconds(10)).until(() -> view.current().account(after).isPresent());
        assertThat(view.skipped()).isGreaterThan(skippedBefore);

        try (IdentityView fresh = new IdentityView(bootstrap, "identity-view-fresh", CODEC).start()) {
            assertThat(fresh.awaitCaughtUp(bootstrap, Duration.ofSeconds(20))).isTrue();
            assertThat(view.awaitCaughtUp(bootstrap, Duration.ofSeconds(20))).isTrue();
            assertThat(fresh.current()).isEqualTo(view.current());
            assertThat(fresh.current().account(after)).isPresent();
        }
    }
}
