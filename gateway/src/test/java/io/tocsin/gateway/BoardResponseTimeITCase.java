package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.config.TopologyLoader;
import io.tocsin.testing.InJvmKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The board's response times with 1,000 open incidents (6 events and 5 member alerts each, one of
 * them with 200 events), measured over HTTP on loopback after a warm-up: the open-incident list and
 * one timeline. Prints the figures (benchmarks/RESULTS.md quotes them); asserts only that the pages
 * are complete, not a time, so a loaded CI machine does not fail it.
 */
class BoardResponseTimeITCase {

    @RegisterExtension static final InJvmKafka KAFKA = new InJvmKafka();

    static final int INCIDENTS = 1_000;
    static final int ROUNDS = 50;
    static final String[] SERVICES = {
        "users-pg", "users-svc", "checkout-api", "payments-svc", "web-frontend", "search-es"
    };

    @Test
    void openListAndTimelineWithAThousandOpenIncidents() throws Exception {
        String prefix = "rt-";
        for (Topics t : Topics.all()) {
            KAFKA.createTopics(1, prefix + t.name());
        }
        Instant t0 = Instant.parse("2026-11-02T02:00:00Z");
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("linger.ms", "20");
        int events = 0;
        try (KafkaProducer<byte[], byte[]> prod =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < INCIDENTS; i++) {
                String id = String.format("INC-rt-%04d", i);
                int n = i == 0 ? 200 : 6;
                for (int seq = 1; seq <= n; seq++) {
                    IncidentEvent e = event(id, i, seq, t0.plusSeconds(i * 3L + seq));
                    ByteBuffer b = IncidentEvent.getEncoder().encode(e);
                    byte[] v = new byte[b.remaining()];
                    b.get(v);
                    prod.send(
                            new ProducerRecord<>(
                                    prefix + Topics.INCIDENT_EVENTS.name(),
                                    id.getBytes(StandardCharsets.UTF_8),
                                    v));
                    events++;
                }
            }
            prod.flush();
        }
        GatewayConfig config =
                GatewayConfig.local(
                        KAFKA.bootstrapServers(),
                        GatewayConfig.TopicNames.withPrefix(prefix),
                        PolicyLoader.loadResource("demo/policy.yaml"));
        BoardConfig board =
                BoardConfig.defaults(prefix)
                        .withTopology(TopologyLoader.loadResource("demo/topology.json"));
        try (Gateway gateway = Gateway.start(config, board, new PrometheusRegistry(), false)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (gateway.boardEventsApplied() < events && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(gateway.boardEventsApplied()).isEqualTo(events);
            Http.Answer list = Http.get(gateway.uri(), "/board");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().split("<article class=\"incident", -1)).hasSize(INCIDENTS + 1);
            Http.Answer timeline = Http.get(gateway.uri(), "/board/incident/INC-rt-0000");
            assertThat(timeline.body().split("<li class=\"event ", -1)).hasSize(200 + 1);

            double[] listMs = time(gateway, "/board");
            double[] fragmentMs = time(gateway, "/board/fragment/open");
            double[] timelineMs = time(gateway, "/board/incident/INC-rt-0000");
            double[] smallMs = time(gateway, "/board/incident/INC-rt-0500");
            System.out.printf(
                    "BOARD_RESPONSE_TIMES %d open incidents, %d rounds after warm-up"
                            + " (ms p50/p95/max, bytes):%n"
                            + "  GET /board                      %s  %d bytes%n"
                            + "  GET /board/fragment/open        %s%n"
                            + "  GET /board/incident/X (200 ev.) %s  %d bytes%n"
                            + "  GET /board/incident/Y (6 ev.)   %s%n",
                    INCIDENTS,
                    ROUNDS,
                    fmt(listMs),
                    list.body().length(),
                    fmt(fragmentMs),
                    fmt(timelineMs),
                    timeline.body().length(),
                    fmt(smallMs));
        }
    }

    static IncidentEvent event(String id, int i, int seq, Instant at) {
        IncidentEventType type =
                seq == 1
                        ? IncidentEventType.OPENED
                        : seq == 3 ? IncidentEventType.ESCALATED : IncidentEventType.ALERT_ADDED;
        String service = SERVICES[(i + seq) % SERVICES.length];
        List<String> services = new ArrayList<>(Arrays.asList(SERVICES).subList(0, 1 + i % 5));
        services.sort(null);
        return IncidentEvent.newBuilder()
                .setEventId(id + "/" + seq)
                .setIncidentId(id)
                .setSeq(seq)
                .setType(type)
                .setEventTime(at)
                .setOpenedAt(Instant.parse("2026-11-02T02:00:00Z").plusSeconds(i * 3L))
                .setDomain("prod-" + (i % 3))
                .setSeverity(Severity.values()[i % 4])
                .setStatus(IncidentStatus.OPEN)
                .setTitle(services.get(0) + ": alert " + i)
                .setServices(services)
                .setAlertCount(Math.min(seq, 5))
                .setActiveAlertCount(Math.min(seq, 5))
                .setFingerprint(type == IncidentEventType.ESCALATED ? null : id + "-fp" + (seq % 5))
                .setAlertName("Alert" + (seq % 5))
                .setAlertService(service)
                .setRootCauseService(services.get(0))
                .setEvidence(Map.of("rule", "linked", "links", "depends-on " + service))
                .setEscalationTier(type == IncidentEventType.ESCALATED ? 0 : null)
                .setTarget(type == IncidentEventType.ESCALATED ? "oncall-" + (i % 7) : null)
                .setActor("policy:correlation")
                .setReason("alert linked to this incident")
                .build();
    }

    static double[] time(Gateway gateway, String path) throws Exception {
        for (int i = 0; i < 10; i++) {
            Http.get(gateway.uri(), path);
        }
        double[] ms = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            Http.Answer a = Http.get(gateway.uri(), path);
            ms[i] = (System.nanoTime() - t) / 1e6;
            assertThat(a.status()).isEqualTo(200);
        }
        Arrays.sort(ms);
        return ms;
    }

    static String fmt(double[] sorted) {
        return String.format(
                "%6.1f /%6.1f /%6.1f",
                sorted[sorted.length / 2],
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1],
                sorted[sorted.length - 1]);
    }
}
