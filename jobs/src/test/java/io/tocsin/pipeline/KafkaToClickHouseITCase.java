package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Policy;
import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import io.tocsin.sink.AvroJson;
import io.tocsin.sink.ClickHouseMigrator;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.CollectionSources;
import io.tocsin.testing.InJvmKafka;
import io.tocsin.testing.LocalClickHouse;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end on real parts: the storm goes into a real Kafka broker, the live job (parallelism 2,
 * exactly-once Kafka sinks, checkpoints) writes incident events to Kafka and ClickHouse, and we
 * read both back. The events must equal what the collection-fed pipeline produces for the same
 * lines: the live path and the backtest path are the same code and give the same answer.
 */
class KafkaToClickHouseITCase {

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

    @RegisterExtension
    @Order(3)
    static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    static List<String> resource(String name) throws Exception {
        try (InputStream in =
                KafkaToClickHouseITCase.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    @Test
    void stormThroughKafkaLandsInKafkaAndClickHouseExactlyAsInBacktest() throws Exception {
        List<String> lines = new ArrayList<>(resource("demo/storm.jsonl"));
        List<String> bad = resource("demo/bad-records.jsonl");
        lines.addAll(200, bad);

        KAFKA.createTopics(4, Topics.ALERTS.name(), Topics.INCIDENT_EVENTS.name());
        KAFKA.createTopics(1, Topics.DEAD_LETTERS.name(), Topics.CONTROL.name());
        Properties pp = new Properties();
        pp.put("bootstrap.servers", KAFKA.bootstrapServers());
        pp.put("enable.idempotence", "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String l : lines) {
                producer.send(
                        new ProducerRecord<>(
                                Topics.ALERTS.name(), l.getBytes(StandardCharsets.UTF_8)));
            }
        }

        ClickHouseSettings ch = CLICKHOUSE.freshDatabase("e2e");
        new ClickHouseMigrator(ch).migrate();
        Policy policy = Policy.defaults();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new KafkaSources(
                                KAFKA.bootstrapServers(), Topics.ALERTS.name(), "e2e", true),
                        new LiveSinks(
                                KAFKA.bootstrapServers(),
                                "e2e",
                                ch,
                                policy.correlation().domainLabel()),
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("e2e", 2, Duration.ofMillis(500)))
                .execute(env);

        // What the same lines give through the collection-fed pipeline.
        CollectingSinks expected = new CollectingSinks();
        new TocsinJob(
                        new CollectionSources(lines),
                        expected,
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("expected", 2, Duration.ZERO))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());
        List<String> expectedEvents = sortedJson(expected.events());
        assertThat(expectedEvents).hasSizeGreaterThan(10);

        List<IncidentEvent> fromKafka = new ArrayList<>();
        List<DeadLetter> deadFromKafka = new ArrayList<>();
        Properties cp = new Properties();
        cp.put("bootstrap.servers", KAFKA.bootstrapServers());
        cp.put("isolation.level", "read_committed");
        cp.put("auto.offset.reset", "earliest");
        cp.put("group.id", "e2e-check");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.INCIDENT_EVENTS.name(), Topics.DEAD_LETTERS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && (fromKafka.size() < expectedEvents.size()
                            || deadFromKafka.size() < bad.size())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(Topics.INCIDENT_EVENTS.name())) {
                        IncidentEvent e =
                                IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value()));
                        assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                .isEqualTo(e.getIncidentId());
                        fromKafka.add(e);
                    } else {
                        deadFromKafka.add(
                                DeadLetter.getDecoder().decode(ByteBuffer.wrap(r.value())));
                    }
                }
            }
        }
        assertThat(sortedJson(fromKafka)).containsExactlyElementsOf(expectedEvents);
        assertThat(deadFromKafka).extracting(DeadLetter::getOffset).doesNotContainNull();
        assertThat(deadFromKafka).hasSize(bad.size());

        try (Connection c = DriverManager.getConnection(ch.url(), ch.jdbcProperties());
                Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count() FROM incident_events FINAL"))
                    .isEqualTo(expectedEvents.size());
            assertThat(count(st, "SELECT count() FROM incidents FINAL"))
                    .isEqualTo(
                            expected.events().stream()
                                    .map(IncidentEvent::getIncidentId)
                                    .distinct()
                                    .count());
            assertThat(count(st, "SELECT count() FROM alerts FINAL"))
                    .isEqualTo(expected.transitions().size());
            assertThat(count(st, "SELECT count() FROM dead_letters FINAL")).isEqualTo(bad.size());
            assertThat(count(st, "SELECT countIf(status != 'RESOLVED') FROM incidents FINAL"))
                    .as("the end of input drains every timer: all incidents resolved")
                    .isZero();
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> sortedJson(List<IncidentEvent> events) {
        return events.stream()
                .sorted(
                        Comparator.comparing(IncidentEvent::getIncidentId)
                                .thenComparing(IncidentEvent::getSeq))
                .map(AvroJson::toJson)
                .toList();
    }
}
