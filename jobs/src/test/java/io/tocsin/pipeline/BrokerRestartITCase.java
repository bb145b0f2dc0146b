package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.testing.LocalKafkaBroker;
import io.tocsin.testing.TocsinProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka broker restart mid-stream loses nothing: two live jobs ({@code tocsin run}, OS processes)
 * read the same storm, each from its own local broker (a separate process too); one broker is
 * stopped for {@link #DOWN} in the middle of the storm, while an escalation falls due and new
 * alerts arrive, and started again. The sender keeps sending (its producer holds the records until
 * the broker is back, as any Kafka sender's does); the job's sources, heartbeats and sinks ride the
 * outage out (the sinks' flush waits, and a failed checkpoint only restarts from the last one).
 *
 * <p>Records written during the outage reach the broker after it returns, interleaved with the
 * job's own heartbeats in whatever order the two producers manage, so some count as late there and
 * the order of an incident's events may differ from the reference's. What must not differ: the
 * incidents (ids, root causes, services), what happened to each (every alert added, every tier
 * escalated and to whom, acknowledgements, resolutions), and every page, nothing missing and
 * nothing extra.
 */
class BrokerRestartITCase {

    @RegisterExtension static final LocalKafkaBroker STABLE = new LocalKafkaBroker();
    @RegisterExtension static final LocalKafkaBroker RESTARTED = new LocalKafkaBroker();

    /** The outage starts as the search incident's tier 0 waits (tier 1 is due at 47 s). */
    private static final double DOWN_AT = CrashStorm.LONG_OUTAGE_AT;

    private static final Duration DOWN = Duration.ofSeconds(10);

    @TempDir Path dir;

    @Test
    void aBrokerRestartMidStreamLosesNothing() throws Exception {
        CrashStorm storm = new CrashStorm(1);
        Files.writeString(dir.resolve("policy.yaml"), CrashStorm.policyYaml());
        Files.writeString(dir.resolve("topology.json"), storm.topologyJson());
        STABLE.createTopics("", 2);
        RESTARTED.createTopics("", 2);
        TocsinProcess reference = job("ref", STABLE);
        TocsinProcess restarted = job("restarted", RESTARTED);
        CompletableFuture<Void> outage = null;
        try {
            reference.start(Duration.ofMinutes(2));
            restarted.start(Duration.ofMinutes(2));
            Thread.sleep(6_000); // past the sources' start-up grace: time follows the clock

            Instant start = Instant.now().plusSeconds(1);
            Instant outageStarted = null;
            Map<String, Instant> firstSent = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> toStable = producer(STABLE);
                    KafkaProducer<byte[], byte[]> toRestarted = producer(RESTARTED)) {
                for (CrashStorm.Send s : storm.sends()) {
                    Instant at = start.plusMillis(Math.round(s.at() * 1000));
                    if (outage == null && s.at() >= DOWN_AT) {
                        sleepUntil(start.plusMillis(Math.round(DOWN_AT * 1000)));
                        outageStarted = Instant.now();
                        outage = CompletableFuture.runAsync(BrokerRestartITCase::restartBroker);
                    }
                    sleepUntil(at);
                    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
                    String topic;
                    String key;
                    String value;
                    if (s.acknowledge()) {
                        key = storm.incidentOpenedBy(s.service(), firstSent.get(s.service()));
                        topic = "commands";
                        value = LiveCrashRecoveryITCase.acknowledgement(key, now);
                    } else {
                        firstSent.putIfAbsent(s.service(), now);
                        topic = "alerts";
                        key = s.service();
                        value = LiveCrashRecoveryITCase.resolveStart(s.json(), start);
                    }
                    // Same bytes and timestamp to both; never wait for the restarted broker.
                    send(toStable, topic, key, value, now);
                    send(toRestarted, topic, key, value, now);
                    toStable.flush();
                }
                outage.get();
                toRestarted.flush();
            }
            System.out.println(
                    "BrokerRestartITCase: broker down from "
                            + Duration.between(start, outageStarted).toMillis()
                            + " ms into the storm for "
                            + DOWN.toMillis()
                            + " ms (plus its stop and start)");

            Map<String, List<String>> ref = Map.of();
            Map<String, List<String>> got = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(3_000);
                ref = history(STABLE);
                got = history(RESTARTED);
                if (resolved(ref) == 3 && resolved(got) == 3) {
                    Thread.sleep(5_000); // and let stragglers in
                    ref = history(STABLE);
                    got = history(RESTARTED);
                    break;
                }
            }

            // The reference tells the story the storm was written for.
            assertThat(ref).as("incidents of the reference").hasSize(3);
            assertThat(resolved(ref)).isEqualTo(3);
            assertThat(ref.values().stream().flatMap(List::stream))
                    .as("tiers paged: db (acknowledged after tier 1) and search (all three)")
                    .filteredOn(h -> h.startsWith("ESCALATED"))
                    .hasSize(5);

            // The restarted broker's job: the same incidents, each with the same history.
            assertThat(new TreeSet<>(got.keySet())).isEqualTo(new TreeSet<>(ref.keySet()));
            for (String incident : ref.keySet()) {
                assertThat(got.get(incident)).as(incident).isEqualTo(ref.get(incident));
            }

            // Pages: every page of the reference, nothing else (copies may be re-sent).
            assertThat(new TreeSet<>(LiveOutputs.pages(RESTARTED.bootstrapServers(), "").keySet()))
                    .isEqualTo(
                            new TreeSet<>(
                                    LiveOutputs.pages(STABLE.bootstrapServers(), "").keySet()));
            System.out.printf(
                    "BrokerRestartITCase: %d incidents, %d events each side, pages equal%n",
                    ref.size(), ref.values().stream().mapToInt(List::size).sum());
        } finally {
            if (outage != null) {
                outage.join();
            }
            restarted.stop();
            reference.stop();
        }
    }

    private static void restartBroker() {
        try {
            RESTARTED.stop();
            Thread.sleep(DOWN.toMillis());
            RESTARTED.start();
        } catch (Exception e) {
            throw new IllegalStateException("broker restart failed", e);
        }
    }

    /**
     * Per incident (by id: derived from its first alert), what happened to it, in a canonical
     * order: the events without their sequence numbers and event ids, one line each, sorted; each
     * (incidentId, seq) counted once whatever the copies.
     */
    private static Map<String, List<String>> history(LocalKafkaBroker broker) {
        Map<String, List<String>> out = new TreeMap<>();
        for (List<byte[]> copies :
                LiveOutputs.eventsByKey(broker.bootstrapServers(), "").values()) {
            IncidentEvent e = LiveOutputs.decode(copies.get(0));
            out.computeIfAbsent(e.getIncidentId(), k -> new ArrayList<>()).add(line(e));
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    private static String line(IncidentEvent e) {
        return e.getType()
                + " alert="
                + e.getAlertName()
                + "@"
                + e.getAlertService()
                + " tier="
                + e.getEscalationTier()
                + " target="
                + e.getTarget()
                + " severity="
                + e.getSeverity()
                + " root="
                + e.getRootCauseService();
    }

    private static long resolved(Map<String, List<String>> history) {
        return history.values().stream()
                .filter(h -> h.stream().anyMatch(l -> l.startsWith("RESOLVED")))
                .count();
    }

    private TocsinProcess job(String name, LocalKafkaBroker broker) throws Exception {
        Path home = dir.resolve(name);
        return new TocsinProcess(
                home,
                List.of(
                        "run",
                        "--kafka",
                        broker.bootstrapServers(),
                        "--clickhouse",
                        "none",
                        "--policy",
                        dir.resolve("policy.yaml").toString(),
                        "--topology",
                        dir.resolve("topology.json").toString(),
                        "--group-id",
                        name,
                        "--checkpoint-dir",
                        home.resolve("checkpoints").toUri().toString(),
                        "--checkpoint-interval",
                        "2s",
                        "--parallelism",
                        "2"));
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String key,
            String value,
            Instant at) {
        producer.send(
                new ProducerRecord<>(
                        topic,
                        null,
                        at.toEpochMilli(),
                        key.getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaProducer<byte[], byte[]> producer(LocalKafkaBroker broker) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "0");
        p.put("delivery.timeout.ms", "300000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
