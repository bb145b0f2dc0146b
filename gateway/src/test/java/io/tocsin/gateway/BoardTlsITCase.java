package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.testing.InJvmKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Board actions over mutual TLS: a board user known by a client certificate's CN acts as that user
 * and role, whatever the form says; a client whose certificate the gateway trusts but whose CN is
 * no board user is refused (403) and nothing reaches the commands topic. Keys are made for the test
 * with keytool (as in {@link GatewayTlsITCase}).
 */
class BoardTlsITCase {

    @RegisterExtension static final InJvmKafka KAFKA = new InJvmKafka();

    static final String PASSWORD = "test-only";
    static final String INCIDENT = "INC-tls-1";
    static final String USERS =
            "users:\n"
                    + "  - {name: alice, role: responder, token: \"alice-token-0123456789\"}\n"
                    + "  - {name: bob, role: team-lead, certificateCn: bob.example.org}\n";

    static IncidentEvent opened() {
        Instant t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() - 60);
        return IncidentEvent.newBuilder()
                .setEventId(INCIDENT + "/1")
                .setIncidentId(INCIDENT)
                .setSeq(1)
                .setType(IncidentEventType.OPENED)
                .setEventTime(t0)
                .setOpenedAt(t0)
                .setDomain("prod")
                .setSeverity(Severity.SEV1)
                .setStatus(IncidentStatus.OPEN)
                .setTitle("users-pg: down")
                .setServices(List.of("users-pg"))
                .setAlertCount(1)
                .setActiveAlertCount(1)
                .setFingerprint("fp-tls")
                .setAlertName("PostgresDown")
                .setAlertService("users-pg")
                .setRootCauseService("users-pg")
                .setEvidence(Map.of("rule", "new-group"))
                .setActor("policy:correlate")
                .setReason("new group")
                .build();
    }

    static void produce(String topic, String key, IncidentEvent e) throws Exception {
        ByteBuffer b = IncidentEvent.getEncoder().encode(e);
        byte[] value = new byte[b.remaining()];
        b.get(value);
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> prod =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            prod.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
            prod.flush();
        }
    }

    static HttpResponse<String> act(HttpClient client, URI gateway, String form) throws Exception {
        return client.send(
                HttpRequest.newBuilder(
                                URI.create(gateway + "/board/incident/" + INCIDENT + "/action"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientCertificateCnIsTheActingBoardUser() throws Exception {
        Path dir = Files.createTempDirectory("board-tls");
        GatewayTlsITCase.keyPair(dir, "gateway", "ip:127.0.0.1");
        GatewayTlsITCase.keyPair(dir, "bob.example.org", "dns:bob.example.org");
        GatewayTlsITCase.keyPair(dir, "mallory.example.org", "dns:mallory.example.org");
        GatewayTlsITCase.trust(dir, "client-trust.p12", "gateway");
        // The gateway trusts both client certificates; only bob's CN is a board user.
        GatewayTlsITCase.trust(dir, "gateway-trust.p12", "bob.example.org");
        GatewayTlsITCase.trust(dir, "gateway-trust.p12", "mallory.example.org");

        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (Topics t : Topics.all()) {
            KAFKA.createTopics(1, prefix + t.name());
        }
        GatewayConfig base =
                GatewayConfig.local(
                        KAFKA.bootstrapServers(),
                        GatewayConfig.TopicNames.withPrefix(prefix),
                        PolicyLoader.loadResource("demo/policy.yaml"));
        GatewayConfig config =
                base.withTls(
                        new GatewayConfig.Tls(
                                dir.resolve("gateway.p12"), PASSWORD,
                                dir.resolve("gateway-trust.p12"), PASSWORD));
        BoardConfig board =
                BoardConfig.defaults(prefix).withUsers(BoardUsers.parse("users.yaml", USERS));
        String commands = prefix + Topics.COMMANDS.name();
        try (Gateway g = Gateway.start(config, board, new PrometheusRegistry(), false)) {
            assertThat(g.uri().getScheme()).isEqualTo("https");
            produce(prefix + Topics.INCIDENT_EVENTS.name(), INCIDENT, opened());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (g.boardEventsApplied() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(g.boardEventsApplied()).isEqualTo(1);

            HttpClient bob =
                    GatewayTlsITCase.client(
                            dir.resolve("client-trust.p12"), dir.resolve("bob.example.org.p12"));
            HttpClient mallory =
                    GatewayTlsITCase.client(
                            dir.resolve("client-trust.p12"),
                            dir.resolve("mallory.example.org.p12"));
            String claims = "action=acknowledge&actor=mallory&role=incident-commander";

            // A trusted certificate is not a board user: served, but may not act.
            HttpResponse<String> refused = act(mallory, g.uri(), claims);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("needs a board user");
            HttpResponse<String> refusedNote =
                    act(mallory, g.uri(), "action=note&note=hello&actor=bob&role=team-lead");
            assertThat(refusedNote.statusCode()).isEqualTo(403);

            // Bob's certificate: the command is bob's, as team-lead, whatever the form claims.
            HttpResponse<String> sent = act(bob, g.uri(), claims);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(303);
            assertThat(sent.headers().firstValue("Location"))
                    .hasValueSatisfying(
                            l -> assertThat(l).startsWith("/board/incident/" + INCIDENT));
            HttpResponse<String> note =
                    act(bob, g.uri(), "action=note&note=failing+over&actor=alice&role=responder");
            assertThat(note.statusCode()).as(note.body()).isEqualTo(303);

            // Exactly bob's two commands, in order: mallory's requests wrote nothing (the
            // topic has one partition and the gateway one producer, so they would come first).
            List<ConsumerRecord<byte[], byte[]>> written =
                    TopicReader.read(KAFKA.bootstrapServers(), commands, 3, Duration.ofSeconds(10));
            assertThat(written).hasSize(2);
            Command ack = Command.getDecoder().decode(written.get(0).value());
            assertThat(ack.getType()).isEqualTo(CommandType.ACKNOWLEDGE);
            assertThat(ack.getIncidentId()).isEqualTo(INCIDENT);
            assertThat(ack.getActor()).isEqualTo("bob");
            assertThat(ack.getRole()).isEqualTo("team-lead");
            Command added = Command.getDecoder().decode(written.get(1).value());
            assertThat(added.getType()).isEqualTo(CommandType.ADD_NOTE);
            assertThat(added.getNote()).isEqualTo("failing over");
            assertThat(added.getActor()).isEqualTo("bob");
            assertThat(added.getRole()).isEqualTo("team-lead");

            // The page shows bob as signed in, mallory as no board user.
            HttpRequest page =
                    HttpRequest.newBuilder(URI.create(g.uri() + "/board/incident/" + INCIDENT))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build();
            HttpResponse<String> bobsPage = bob.send(page, HttpResponse.BodyHandlers.ofString());
            assertThat(bobsPage.statusCode()).isEqualTo(200);
            assertThat(bobsPage.body()).contains("signed in as <strong>bob</strong> (team-lead)");
            HttpResponse<String> mallorysPage =
                    mallory.send(page, HttpResponse.BodyHandlers.ofString());
            assertThat(mallorysPage.statusCode()).isEqualTo(200);
            assertThat(mallorysPage.body()).contains("read-only (no board user)");
        }
    }
}
