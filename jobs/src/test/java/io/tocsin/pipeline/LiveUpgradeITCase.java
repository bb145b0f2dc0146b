package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.testing.LocalKafkaBroker;
import io.tocsin.testing.TocsinProcess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade as an operator does it: {@code tocsin savepoint --stop} on the running job, then
 * {@code tocsin run --from-savepoint PATH} at another parallelism. The open incident and its
 * pending escalation survive: tier 1 is paged by the new job at the tier timeout, and a re-sent
 * alert joins the incident instead of opening a second one.
 */
class LiveUpgradeITCase {

    @RegisterExtension static final LocalKafkaBroker KAFKA = new LocalKafkaBroker();

    static final String POLICY =
            """
            escalation:
              targets:
                t0: {person: alice, routingKey: RK-0}
                t1: {person: bob, routingKey: RK-1}
              chains:
                - id: default
                  tiers:
                    - {target: t0, timeout: 25s}
                    - {target: t1, timeout: 1h}
            """;

    @TempDir Path dir;

    @Test
    void aSavepointCarriesTheOpenIncidentAndItsTimerToAJobOfAnotherParallelism() throws Exception {
        KAFKA.createTopics("up.", 3);
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        List<String> common =
                List.of(
                        "--kafka",
                        KAFKA.bootstrapServers(),
                        "--clickhouse",
                        "none",
                        "--policy",
                        dir.resolve("policy.yaml").toString(),
                        "--group-id",
                        "up",
                        "--topic-prefix",
                        "up.",
                        "--checkpoint-dir",
                        dir.resolve("checkpoints").toUri().toString(),
                        "--savepoint-dir",
                        dir.resolve("savepoints").toUri().toString());
        TocsinProcess job = new TocsinProcess(dir.resolve("home"), run(common, "2"));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            job.start(Duration.ofMinutes(2));
            Thread.sleep(3_000);
            send(producer);
            ConsumerRecord<byte[], byte[]> tier0 =
                    await("up.pages", r -> text(r).contains("\"routing_key\":\"RK-0\""));
            String incident = field(text(tier0), "dedup_key");

            String out;
            try {
                out =
                        job.runOnce(
                                List.of("savepoint", "--group-id", "up", "--stop"),
                                Duration.ofMinutes(3));
            } catch (IllegalStateException e) {
                throw new AssertionError(
                        e.getMessage()
                                + "\nrun file: "
                                + Files.readString(dir.resolve("home/.local/run/run-up.properties"))
                                + "\njob:\n"
                                + job.tail()
                                + "\nalive: "
                                + job.alive()
                                + "\nend of the job's log:\n"
                                + tailOf(dir.resolve("home/.local/logs/tocsin.log")),
                        e);
            }
            String savepoint = out.strip().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(savepoint).contains("savepoint-");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (job.alive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(job.alive()).as("the job stops after its savepoint").isFalse();

            List<String> upgraded = new ArrayList<>(run(common, "3"));
            upgraded.addAll(List.of("--from-savepoint", savepoint));
            job.start(upgraded, Duration.ofMinutes(2));
            assertThat(job.console()).contains("run: starting from " + savepoint);
            send(producer); // Prometheus re-sends the still-firing alert

            ConsumerRecord<byte[], byte[]> tier1 =
                    await("up.pages", r -> text(r).contains("\"routing_key\":\"RK-1\""));
            assertThat(field(text(tier1), "dedup_key")).isEqualTo(incident);
            List<IncidentEvent> events = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : readAll("up.incident-events")) {
                events.add(IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value())));
            }
            assertThat(events)
                    .filteredOn(e -> e.getType() == IncidentEventType.OPENED)
                    .extracting(IncidentEvent::getIncidentId)
                    .containsExactly(incident);
            assertThat(events)
                    .filteredOn(e -> e.getType() == IncidentEventType.ESCALATED)
                    .extracting(IncidentEvent::getTarget)
                    .containsExactly("alice", "bob");
        } finally {
            job.stop();
        }
    }

    private static String tailOf(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static List<String> run(List<String> common, String parallelism) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(common);
        args.addAll(List.of("--parallelism", parallelism));
        return args;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer) throws Exception {
        String alert =
                "{\"labels\":{\"alertname\":\"PostgresDown\",\"service\":\"orders-pg\","
                        + "\"severity\":\"critical\",\"cluster\":\"prod\"},\"status\":\"firing\"}";
        producer.send(
                        new ProducerRecord<>(
                                "up.alerts",
                                "orders-pg".getBytes(StandardCharsets.UTF_8),
                                alert.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ConsumerRecord<byte[], byte[]> await(
            String topic, Predicate<ConsumerRecord<byte[], byte[]>> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
                if (wanted.test(r)) {
                    return r;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("nothing wanted on " + topic + " within 2 minutes");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var parts =
                    c.partitionsFor(topic).stream()
                            .map(
                                    i ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private static String field(String json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
