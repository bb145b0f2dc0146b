package io.tocsin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the demo's alert storm and telemetry into Kafka merged in event-time order, paced by event
 * time ({@code speed} x faster) from the storm's first notification; telemetry history from before
 * it goes at once (the detectors need a day of it). Changes (deploys, config, flags) go to the
 * changes topic at their time, the earlier ones at once with the history. Bad records go midway.
 */
final class StormReplay {

    static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaEndpoint kafka;
    private final double speed;
    private final PrintStream out;

    StormReplay(KafkaEndpoint kafka, double speed, PrintStream out) {
        this.kafka = kafka;
        this.speed = speed;
        this.out = out;
    }

    /** Replays everything and returns how many storm notifications were sent. */
    int replay(List<String> storm, List<String> telemetry, List<String> changes, List<String> bad)
            throws Exception {
        Properties p = kafka.clientProperties();
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "5");
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant first = firstReceivedAt(storm);
            int t = 0;
            while (t < telemetry.size() && !pointTime(telemetry.get(t)).isAfter(first)) {
                sendPoint(producer, telemetry.get(t++));
            }
            int c = 0;
            while (c < changes.size() && !changeTime(changes.get(c)).isAfter(first)) {
                sendChange(producer, changes.get(c++));
            }
            out.printf(
                    "demo: sent %d telemetry points of history (the day before) and %d earlier changes%n",
                    t, c);
            long wallStart = System.nanoTime();
            long lastProgress = System.nanoTime();
            for (int i = 0; i < storm.size(); i++) {
                String line = storm.get(i);
                Instant at = receivedAt(line);
                if (at != null) {
                    while (t < telemetry.size() && !pointTime(telemetry.get(t)).isAfter(at)) {
                        sendPoint(producer, telemetry.get(t++));
                    }
                    while (c < changes.size() && !changeTime(changes.get(c)).isAfter(at)) {
                        sendChange(producer, changes.get(c++));
                    }
                    long dueNanos = (long) (Duration.between(first, at).toNanos() / speed);
                    long sleep = dueNanos - (System.nanoTime() - wallStart);
                    if (sleep > 0) {
                        producer.flush();
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                send(producer, Topics.ALERTS.name(), line);
                sent++;
                if (i == storm.size() / 2) {
                    for (String b : bad) {
                        send(producer, Topics.ALERTS.name(), b);
                    }
                }
                if (System.nanoTime() - lastProgress > 5_000_000_000L) {
                    lastProgress = System.nanoTime();
                    out.printf(
                            "demo: ... replayed %d/%d notifications (storm time %s)%n",
                            sent, storm.size(), at == null ? "?" : CLOCK.format(at));
                }
            }
            while (t < telemetry.size()) {
                sendPoint(producer, telemetry.get(t++));
            }
            while (c < changes.size()) {
                sendChange(producer, changes.get(c++));
            }
            producer.flush();
        }
        return sent;
    }

    /** The receipt time of the storm's first notification that has one, else null. */
    static Instant firstReceivedAt(List<String> storm) {
        for (String line : storm) {
            Instant at = receivedAt(line);
            if (at != null) {
                return at;
            }
        }
        return null;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String line) {
        producer.send(new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Keyed by series, so one series stays in order. The key is the line's raw text up to its
     * "timestamp" field (the demo file puts labels and metric first), not a re-serialization: the
     * bytes, and so the partitions, stay what they always were.
     */
    private static void sendPoint(KafkaProducer<byte[], byte[]> producer, String line) {
        producer.send(
                new ProducerRecord<>(
                        Topics.TELEMETRY.name(),
                        seriesKey(line).getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Keyed by service, as the changes topic's contract says. */
    private static void sendChange(KafkaProducer<byte[], byte[]> producer, String line)
            throws IOException {
        producer.send(
                new ProducerRecord<>(
                        Topics.CHANGES.name(),
                        JSON.readTree(line)
                                .path("service")
                                .asText()
                                .getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8)));
    }

    /** The time of a demo change line (RFC 3339). */
    static Instant changeTime(String line) throws IOException {
        return OffsetDateTime.parse(JSON.readTree(line).path("time").asText()).toInstant();
    }

    static String seriesKey(String line) {
        return line.substring(0, Math.max(0, line.indexOf("\"timestamp\"")));
    }

    /** The timestamp (epoch milliseconds) of a demo telemetry line. */
    static Instant pointTime(String line) throws IOException {
        return Instant.ofEpochMilli(JSON.readTree(line).path("timestamp").asLong());
    }

    /** The receivedAt of a storm line, or null when it has none (or is not JSON). */
    static Instant receivedAt(String line) {
        try {
            JsonNode at = JSON.readTree(line).get("receivedAt");
            return at == null || !at.isTextual()
                    ? null
                    : OffsetDateTime.parse(at.textValue()).toInstant();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
