package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import io.tocsin.ingest.DeadLetters;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.InJvmKafka;
import io.tocsin.testing.StormGenerator;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
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
 * A storm of about 100,000 notifications (re-sends, HA duplicates, out-of-order delivery, flapping,
 * alerts that go silent, a maintenance window, bad records) through a real Kafka broker and the job
 * at parallelism 2: exactly the expected transitions reach the correlator and the dead-letter topic
 * holds exactly the injected bad records with their reasons.
 */
class StormITCase {

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

    /** Live Kafka dead letters, collected transitions and events. */
    static final class StormSinks implements Sinks {
        final LiveSinks live;
        final CollectingSinks collected = new CollectingSinks();

        StormSinks(String kafka) {
            live = new LiveSinks(kafka, "storm", null, "cluster");
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> d) {
            live.deadLetters(d);
        }

        @Override
        public void alertTransitions(DataStream<Alert> t) {
            collected.alertTransitions(t);
        }

        @Override
        public void incidentEvents(DataStream<IncidentEvent> e) {
            collected.incidentEvents(e);
        }
    }

    @Test
    void theStormReducesToExactlyTheExpectedTransitionsAndEveryBadRecordIsDeadLettered()
            throws Exception {
        StormGenerator.Storm storm = StormGenerator.generate(42, 3200, 300, 100, 90, 100);
        assertThat(storm.notifications()).isGreaterThan(100_000);

        KAFKA.createTopics(4, Topics.ALERTS.name());
        KAFKA.createTopics(1, Topics.DEAD_LETTERS.name(), Topics.CONTROL.name());
        Properties pp = new Properties();
        pp.put("bootstrap.servers", KAFKA.bootstrapServers());
        pp.put("enable.idempotence", "true");
        pp.put("linger.ms", "20");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String l : storm.lines()) {
                producer.send(
                        new ProducerRecord<>(
                                Topics.ALERTS.name(), l.getBytes(StandardCharsets.UTF_8)));
            }
        }

        Policy policy =
                PolicyLoader.parse(
                        "storm-policy.yaml",
                        new ByteArrayInputStream(
                                StormGenerator.POLICY_YAML.getBytes(StandardCharsets.UTF_8)));
        StormSinks sinks = new StormSinks(KAFKA.bootstrapServers());
        new TocsinJob(
                        new KafkaSources(
                                KAFKA.bootstrapServers(), Topics.ALERTS.name(), "storm", true),
                        sinks,
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("storm", 2, Duration.ofSeconds(1)))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        TreeSet<String> actual = new TreeSet<>();
        List<Alert> transitions = sinks.collected.transitions();
        for (Alert a : transitions) {
            actual.add(
                    StormGenerator.key(
                            a.getFingerprint(),
                            a.getStatus().name(),
                            a.getReceivedAt().toEpochMilli(),
                            a.getSuppressedBy() == null ? "" : a.getSuppressedBy(),
                            a.getFlapping()));
        }
        assertThat(transitions).as("no transition twice").hasSize(actual.size());
        TreeSet<String> missing = new TreeSet<>(storm.expectedTransitions());
        missing.removeAll(actual);
        TreeSet<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(storm.expectedTransitions());
        assertThat(missing).as("expected transitions that did not arrive").isEmpty();
        assertThat(unexpected).as("transitions that should not exist").isEmpty();
        System.out.printf(
                "storm: %d notifications + %d bad -> %d transitions (reduction %.1fx)%n",
                storm.notifications(),
                storm.badLines().size(),
                transitions.size(),
                storm.notifications() / (double) transitions.size());

        List<DeadLetter> dead = new ArrayList<>();
        Properties cp = new Properties();
        cp.put("bootstrap.servers", KAFKA.bootstrapServers());
        cp.put("isolation.level", "read_committed");
        cp.put("auto.offset.reset", "earliest");
        cp.put("group.id", "storm-check");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && dead.size() < storm.badLines().size()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    dead.add(DeadLetter.getDecoder().decode(ByteBuffer.wrap(r.value())));
                }
            }
            assertThat(consumer.poll(Duration.ofSeconds(1))).as("nothing more").isEmpty();
        }
        List<String> actualDead = new ArrayList<>();
        for (DeadLetter d : dead) {
            actualDead.add(DeadLetters.originalText(d) + " => " + d.getReasonCode());
            assertThat(d.getTopic()).isEqualTo(Topics.ALERTS.name());
            assertThat(d.getOffset()).isNotNull();
            assertThat(d.getError()).isNotBlank();
        }
        List<String> expectedDead = new ArrayList<>();
        for (int i = 0; i < storm.badLines().size(); i++) {
            expectedDead.add(storm.badLines().get(i) + " => " + storm.badReasons().get(i));
        }
        assertThat(actualDead).containsExactlyInAnyOrderElementsOf(expectedDead);
    }
}
