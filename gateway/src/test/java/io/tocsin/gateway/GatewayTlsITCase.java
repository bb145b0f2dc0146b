package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.config.Policy;
import io.tocsin.testing.InJvmKafka;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTPS with client certificates: a client whose certificate the gateway trusts is served, one
 * without a certificate is refused in the handshake. Keys are made for the test with keytool.
 */
class GatewayTlsITCase {

    @RegisterExtension static final InJvmKafka KAFKA = new InJvmKafka();

    private static final String PASSWORD = "test-only";

    private static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        var command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        var r = DebianTools.run(command, 120);
        assertThat(r.exit()).as(r.output()).isZero();
    }

    /** A key pair in NAME.p12 and its certificate in NAME.crt. */
    static void keyPair(Path dir, String name, String san) throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-validity",
                "2",
                "-keystore",
                dir.resolve(name + ".p12").toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD,
                "-ext",
                "SAN=" + san);
        keytool(
                "-exportcert",
                "-alias",
                name,
                "-keystore",
                dir.resolve(name + ".p12").toString(),
                "-storepass",
                PASSWORD,
                "-rfc",
                "-file",
                dir.resolve(name + ".crt").toString());
    }

    static void trust(Path dir, String store, String cert) throws Exception {
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                cert,
                "-file",
                dir.resolve(cert + ".crt").toString(),
                "-keystore",
                dir.resolve(store).toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(p.toFile())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    static HttpClient client(Path trustStore, Path keyStore) throws Exception {
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), PASSWORD.toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void clientCertificatesAreRequiredWhenATruststoreIsGiven() throws Exception {
        Path dir = Files.createTempDirectory("gateway-tls");
        keyPair(dir, "gateway", "ip:127.0.0.1");
        keyPair(dir, "prometheus", "dns:prometheus");
        trust(dir, "client-trust.p12", "gateway");
        trust(dir, "gateway-trust.p12", "prometheus");

        GatewayConfig.TopicNames topics = GatewayConfig.TopicNames.withPrefix("tls-");
        KAFKA.createTopics(
                1, topics.alerts(), topics.telemetry(), topics.control(), topics.deadLetters());
        GatewayConfig base =
                GatewayConfig.local(KAFKA.bootstrapServers(), topics, Policy.defaults());
        GatewayConfig config =
                base.withTls(
                        new GatewayConfig.Tls(
                                dir.resolve("gateway.p12"), PASSWORD,
                                dir.resolve("gateway-trust.p12"), PASSWORD));
        try (Gateway g = Gateway.start(config, new PrometheusRegistry(), false)) {
            assertThat(g.uri().getScheme()).isEqualTo("https");
            HttpRequest status =
                    HttpRequest.newBuilder(g.uri().resolve("/api/v2/status")).GET().build();

            HttpResponse<String> ok =
                    client(dir.resolve("client-trust.p12"), dir.resolve("prometheus.p12"))
                            .send(status, HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);

            HttpClient anonymous = client(dir.resolve("client-trust.p12"), null);
            assertThatThrownBy(() -> anonymous.send(status, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }
}
