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
import io.tocsin.config.TopologyLoader;
import io.tocsin.testing.InJvmKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The board's HTML endpoints against the in-JVM broker, fed with incident events and an alert whose
 * labels and annotations are hostile: every value renders as text, a javascript: runbook is not a
 * link; actions need a board user and carry that user's name and role whatever the form says; bad
 * input is a clear 4xx page. Each test uses its own topic prefix and incident ids.
 */
class BoardHttpITCase {

    @RegisterExtension static final InJvmKafka KAFKA = new InJvmKafka();

    static final String TOKEN = "alice-token-0123456789";
    static final String HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    static final String USERS =
            "users:\n"
                    + "  - {name: alice, role: responder, token: \""
                    + TOKEN
                    + "\"}\n"
                    + "  - {name: bob, role: team-lead, certificateCn: bob.example.org}\n";

    static String prefix;
    static Gateway gateway;
    static final String INCIDENT = "INC-test-1";

    @BeforeAll
    static void start() throws Exception {
        prefix = "b" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (Topics t : Topics.all()) {
            KAFKA.createTopics(1, prefix + t.name());
        }
        GatewayConfig.TopicNames names = GatewayConfig.TopicNames.withPrefix(prefix);
        GatewayConfig config =
                GatewayConfig.local(
                        KAFKA.bootstrapServers(),
                        names,
                        PolicyLoader.loadResource("demo/policy.yaml"));
        BoardConfig board =
                BoardConfig.defaults(prefix)
                        .withUsers(BoardUsers.parse("users.yaml", USERS))
                        .withTopology(TopologyLoader.loadResource("demo/topology.json"));
        gateway = Gateway.start(config, board, new PrometheusRegistry(), false);

        String alert =
                "{\"labels\":{\"alertname\":\"PostgresDown"
                        + json(HOSTILE)
                        + "\",\"service\":\"users-pg\",\"severity\":\"critical\",\"evil\":\""
                        + json(HOSTILE)
                        + "\"},\"annotations\":{\"summary\":\""
                        + json(HOSTILE)
                        + "\",\"runbook_url\":\"javascript:alert(3)\"},"
                        + "\"startsAt\":\"2026-11-02T02:00:00Z\",\"status\":\"firing\","
                        + "\"fingerprint\":\"fp-hostile\",\"receivedAt\":\"2026-11-02T02:00:01Z\"}";
        produce(
                prefix + Topics.ALERTS.name(),
                "fp-hostile",
                alert.getBytes(StandardCharsets.UTF_8));
        Instant t0 = Instant.parse("2026-11-02T02:00:01Z");
        produce(
                prefix + Topics.INCIDENT_EVENTS.name(),
                INCIDENT,
                encode(event(1, IncidentEventType.OPENED, t0, "PostgresDown" + HOSTILE)));
        produce(
                prefix + Topics.INCIDENT_EVENTS.name(),
                INCIDENT,
                encode(event(2, IncidentEventType.ALERT_ADDED, t0.plusSeconds(5), HOSTILE)));
        // A repeat (at-least-once replay) must not show twice.
        produce(
                prefix + Topics.INCIDENT_EVENTS.name(),
                INCIDENT,
                encode(event(2, IncidentEventType.ALERT_ADDED, t0.plusSeconds(5), HOSTILE)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (gateway.boardEventsApplied() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gateway.boardEventsApplied()).isEqualTo(2);
        // The alert topic is read by the same consumer; give it the same chance.
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Http.get(gateway.uri(), "/board/incident/" + INCIDENT).body().contains("evil")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    static IncidentEvent event(long seq, IncidentEventType type, Instant at, String alertName) {
        return IncidentEvent.newBuilder()
                .setEventId(INCIDENT + "/" + seq)
                .setIncidentId(INCIDENT)
                .setSeq(seq)
                .setType(type)
                .setEventTime(at)
                .setOpenedAt(Instant.parse("2026-11-02T02:00:01Z"))
                .setDomain("prod")
                .setSeverity(Severity.SEV1)
                .setStatus(IncidentStatus.OPEN)
                .setTitle("users-pg: " + HOSTILE)
                .setServices(List.of("users-pg", "users-api"))
                .setAlertCount((int) seq)
                .setActiveAlertCount((int) seq)
                .setFingerprint(seq == 1 ? "fp-hostile" : "fp-2")
                .setAlertName(alertName)
                .setAlertService(seq == 1 ? "users-pg" : "users-api")
                .setRootCauseService("users-pg")
                .setEvidence(Map.of("candidates", HOSTILE, "rule", "root-cause-ranking"))
                .setActor("policy:correlate")
                .setReason(HOSTILE)
                .build();
    }

    static byte[] encode(IncidentEvent e) throws Exception {
        ByteBuffer b = IncidentEvent.getEncoder().encode(e);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static void produce(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> prod =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            prod.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
            prod.flush();
        }
    }

    static void assertEscaped(String html) {
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x");
        assertThat(html).doesNotContain("href=\"javascript:");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void openListEscapesHostileValues() throws Exception {
        Http.Answer a = Http.get(gateway.uri(), "/board");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("users-pg").contains("Root cause");
        assertEscaped(a.body());
        Http.Answer f = Http.get(gateway.uri(), "/board/fragment/open");
        assertThat(f.status()).isEqualTo(200);
        assertEscaped(f.body());
    }

    @Test
    void timelineEscapesLabelsAnnotationsAndEvidence() throws Exception {
        Http.Answer a = Http.get(gateway.uri(), "/board/incident/" + INCIDENT);
        assertThat(a.status()).isEqualTo(200);
        String html = a.body();
        assertEscaped(html);
        // The hostile label is there, as text, with its key.
        assertThat(html).contains("<dt>evil</dt>");
        // A javascript: runbook is shown as text, not as a link.
        assertThat(html).contains("<span class=\"url\">javascript:alert(3)</span>");
        // The repeated event shows once.
        assertThat(html.split("class=\"event ev-alert-added\"", -1)).hasSize(2);
        // The neighbourhood from the demo topology marks the root cause.
        assertThat(html).contains("root cause</span>");
    }

    @Test
    void unknownIncidentAndBadSearchAreClearErrors() throws Exception {
        Http.Answer missing = Http.get(gateway.uri(), "/board/incident/%3Cb%3Enope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("no incident &lt;b&gt;nope");
        Http.Answer bad = Http.get(gateway.uri(), "/board/search?from=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("from: cannot parse");
        Http.Answer found = Http.get(gateway.uri(), "/board/search?service=users&alert=postgres");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).contains(INCIDENT);
        assertEscaped(found.body());
    }

    static Http.Answer post(String form) throws Exception {
        return Http.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        gateway.uri() + "/board/incident/" + INCIDENT + "/action"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    @Test
    void actionsNeedABoardUserAndCarryTheirIdentity() throws Exception {
        String form = "action=acknowledge&actor=mallory&role=incident-commander";
        HttpRequest.Builder anonymous =
                HttpRequest.newBuilder(
                                URI.create(
                                        gateway.uri() + "/board/incident/" + INCIDENT + "/action"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        Http.Answer refused = Http.send(anonymous);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("needs a board user");

        HttpRequest.Builder signed =
                HttpRequest.newBuilder(
                                URI.create(
                                        gateway.uri() + "/board/incident/" + INCIDENT + "/action"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        Http.Answer sent = Http.send(signed);
        assertThat(sent.status()).isEqualTo(303);

        List<ConsumerRecord<byte[], byte[]>> commands =
                TopicReader.read(
                        KAFKA.bootstrapServers(),
                        prefix + Topics.COMMANDS.name(),
                        1,
                        Duration.ofSeconds(30));
        assertThat(commands).hasSize(1);
        Command c = Command.getDecoder().decode(commands.get(0).value());
        assertThat(c.getType()).isEqualTo(CommandType.ACKNOWLEDGE);
        assertThat(c.getIncidentId()).isEqualTo(INCIDENT);
        assertThat(c.getActor()).isEqualTo("alice");
        assertThat(c.getRole()).isEqualTo("responder");
        // Issued at the board's clock: the incident's event time, not today's date.
        assertThat(c.getIssuedAt()).isBefore(Instant.parse("2026-11-03T00:00:00Z"));

        // A note, a downgrade request and an approval carry their fields; missing ones are 400.
        assertThat(post("action=note&note=db+failover+started").status()).isEqualTo(303);
        assertThat(post("action=downgrade&reason=noise").status()).isEqualTo(400);
        assertThat(post("action=downgrade&severity=SEV3&reason=noise").status()).isEqualTo(303);
        assertThat(post("action=approve&approves=c-42").status()).isEqualTo(303);
        assertThat(post("action=note&note=").body()).contains("note: write the note first");
        List<ConsumerRecord<byte[], byte[]>> more =
                TopicReader.read(
                        KAFKA.bootstrapServers(),
                        prefix + Topics.COMMANDS.name(),
                        4,
                        Duration.ofSeconds(30));
        assertThat(more).hasSize(4);
        Command note = Command.getDecoder().decode(more.get(1).value());
        assertThat(note.getType()).isEqualTo(CommandType.ADD_NOTE);
        assertThat(note.getNote()).isEqualTo("db failover started");
        Command down = Command.getDecoder().decode(more.get(2).value());
        assertThat(down.getType()).isEqualTo(CommandType.DOWNGRADE);
        assertThat(down.getTargetSeverity()).isEqualTo(Severity.SEV3);
        assertThat(down.getReason()).isEqualTo("noise");
        Command approve = Command.getDecoder().decode(more.get(3).value());
        assertThat(approve.getType()).isEqualTo(CommandType.APPROVE);
        assertThat(approve.getApprovesCommandId()).isEqualTo("c-42");
        assertThat(approve.getActor()).isEqualTo("alice");

        HttpRequest.Builder badAction =
                HttpRequest.newBuilder(
                                URI.create(
                                        gateway.uri() + "/board/incident/" + INCIDENT + "/action"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("action=%3Cx%3E"));
        Http.Answer bad = Http.send(badAction);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown action &quot;&lt;x&gt;&quot;");

        HttpRequest.Builder crossSite =
                HttpRequest.newBuilder(
                                URI.create(
                                        gateway.uri() + "/board/incident/" + INCIDENT + "/action"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Sec-Fetch-Site", "cross-site")
                        .POST(HttpRequest.BodyPublishers.ofString("action=acknowledge"));
        assertThat(Http.send(crossSite).status()).isEqualTo(403);
    }
}
