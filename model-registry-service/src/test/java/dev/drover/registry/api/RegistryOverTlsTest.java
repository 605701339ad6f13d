package dev.drover.registry.api;

import dev.drover.platform.security.ApiTokens;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.IdentityWrites;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS on HTTP as docs/operations.md configures it ({@code micronaut.server.ssl.*}), on a secured service: the
 * registry serves HTTPS with a certificate made by the JDK's keytool, a client that trusts that certificate signs in
 * with a token, a client that does not trust it is refused at the handshake, and nothing answers in
 * clear on that port.
 */
class RegistryOverTlsTest {
    private static final String PASSWORD = "changeit-tls";
    private static final String ACCOUNT = "tls-test-" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    static Path dir;
    static RegistryApi registry;
    static Path keystore;

    @BeforeAll
    static void start() throws Exception {
        keystore = dir.resolve("registry.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();
        registry = new RegistryApi(Map.of(
                "drover.security.enabled", true,
                "drover.security.instance-id", "registry-tls-test",
                "micronaut.server.ssl.enabled", true,
                "micronaut.server.ssl.port", -1,
                "micronaut.server.ssl.key-store.path", "file:" + keystore,
                "micronaut.server.ssl.key-store.password", PASSWORD,
                "micronaut.server.ssl.key-store.type", "PKCS12"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * A token of an account made for this test: the test broker is shared by the module's test classes, so the
     * identities may already hold an admin made by another class, and then no first-start files are written.
     */
    private static String viewerToken() {
        IdentityWrites writes = registry.context().getBean(IdentityWrites.class);
        ApiTokens.Issued issued = ApiTokens.issue();
        writes.decide(new IdentityCommand.CreateAccount(UUID.randomUUID().toString(), ACCOUNT, AccountKind.SERVICE,
                null, "registry-tls-test"));
        writes.decide(new IdentityCommand.GrantRole(UUID.randomUUID().toString(), ACCOUNT, Grant.of(Role.VIEWER),
                "registry-tls-test"));
        writes.decide(new IdentityCommand.IssueToken(UUID.randomUUID().toString(), issued.id(), ACCOUNT,
                issued.secretHash(), null, "TLS test", "registry-tls-test"));
        return issued.token();
    }

    private static URI uri(String path) {
        int port = registry.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class).getPort();
        return URI.create("https://localhost:" + port + path);
    }

    @Test
    void aClientThatTrustsTheCertificateSignsInOverHttps() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        String token = viewerToken();

        HttpResponse<String> me = client.send(HttpRequest.newBuilder(uri("/api/v1/me"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"" + ACCOUNT + "\"");
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(uri("/api/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void aClientThatDoesNotTrustItIsRefusedAndNothingAnswersInClear() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri("/health")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        URI clear = URI.create(uri("/health").toString().replace("https://", "http://"));
        int inClear;
        try {
            inClear = untrusting.send(HttpRequest.newBuilder(clear).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException | InterruptedException e) {
            inClear = -1; // refused or closed: what a TLS port does with a clear request
        }
        assertThat(inClear).as("a request in clear on the TLS port").isNotEqualTo(200);
    }
}
