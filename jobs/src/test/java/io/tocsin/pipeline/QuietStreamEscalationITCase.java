package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.InJvmKafka;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 3 a.m. case, live: one SEV1 alert on a real Kafka topic, then nothing at all. The job's
 * watermark must keep moving with the wall clock, so the unacknowledged incident escalates to its
 * second tier at exactly its tier timeout (event time), a few seconds of wall time later, with no
 * other record arriving on any input.
 */
class QuietStreamEscalationITCase {

    @RegisterExtension
    @Order(1)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    @Order(2)
    static final InJvmKafka KAFKA = new InJvmKafka();

    static final String POLICY =
            """
            ingest: {maxOutOfOrderness: 1s, idleTimeout: 1s}
            escalation:
              targets:
                primary: {person: alice, routingKey: RK-1}
                secondary: {person: bob, routingKey: RK-2}
              chains:
                - id: default
                  tiers:
                    - {target: primary, timeout: 5s}
                    - {target: secondary, timeout: 1h}
            """;

    @Test
    void anUnacknowledgedSev1EscalatesOnTimeWithNoOtherTraffic() throws Exception {
        KAFKA.createTopics(2, Topics.ALERTS.name(), Topics.COMMANDS.name());
        KAFKA.createTopics(1, Topics.CONTROL.name());
        Policy policy =
                PolicyLoader.parse(
                        "policy.yaml",
                        new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
        CollectingSinks sinks = new CollectingSinks();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new KafkaSources(
                                        KAFKA.bootstrapServers(),
                                        Topics.ALERTS.name(),
                                        "quiet-it",
                                        false)
                                .withCommands(Topics.COMMANDS.name()),
                        sinks,
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("quiet-it", 2, Duration.ofSeconds(1)))
                .build(env);
        JobClient job = env.executeAsync("quiet-it");
        try {
            Thread.sleep(
                    3000); // let the sources start; the watermark is already following the clock
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String alert =
                    "{\"fingerprint\":\"fp-db\",\"labels\":{\"alertname\":\"DatabaseDown\","
                            + "\"severity\":\"critical\",\"service\":\"orders-db\"},"
                            + "\"startsAt\":\""
                            + t0
                            + "\",\"status\":\"firing\",\"receivedAt\":\""
                            + t0
                            + "\"}";
            Properties p = new Properties();
            p.put("bootstrap.servers", KAFKA.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(
                                new ProducerRecord<>(
                                        Topics.ALERTS.name(),
                                        alert.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<IncidentEvent> escalations = List.of();
            while (System.nanoTime() < deadline) {
                escalations =
                        sinks.events().stream()
                                .filter(e -> e.getType() == IncidentEventType.ESCALATED)
                                .sorted((a, b) -> a.getEventTime().compareTo(b.getEventTime()))
                                .toList();
                if (escalations.size() >= 2) {
                    break;
                }
                Thread.sleep(200);
            }
            Duration waited = Duration.between(t0, Instant.now());
            assertThat(escalations)
                    .extracting(e -> e.getTarget() + "@" + e.getEventTime())
                    .containsExactly("alice@" + t0, "bob@" + t0.plusSeconds(5));
            // Lag behind the clock: idleTimeout + maxOutOfOrderness, plus scheduling slack.
            assertThat(waited).isLessThan(Duration.ofSeconds(30));
        } finally {
            job.cancel().get();
        }
    }
}
