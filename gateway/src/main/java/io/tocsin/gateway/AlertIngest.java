package io.tocsin.gateway;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.Origin;
import io.tocsin.ingest.RejectReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v2/alerts} (what Prometheus sends to an Alertmanager) and Alertmanager webhook
 * payloads: decoded and validated by the job's own {@link AlertDecoder}, each accepted alert
 * written to the alerts topic as an Avro Alert keyed by fingerprint, with the arrival time as its
 * event time. The answer waits for Kafka's acknowledgement of every alert: 200 when all are
 * written; 400 naming each refused alert's field and reason (the valid ones are still written, as
 * Alertmanager does); 503 when Kafka did not take them, so the sender retries the batch (the job's
 * dedupe drops the copies of alerts that had been written).
 */
final class AlertIngest {

    private final AlertDecoder decoder;
    private final int maxAlertBytes;
    private final KafkaWriter kafka;
    private final GatewayConfig.TopicNames topics;
    private final GatewayMetrics metrics;
    private final Clock clock;

    /**
     * @param maxAlertBytes the job's per-record limit (policy ingest.maxRecordBytes): a larger
     *     alert would be dead-lettered by the job, so it is refused here
     */
    AlertIngest(
            AlertDecoder decoder,
            int maxAlertBytes,
            KafkaWriter kafka,
            GatewayConfig.TopicNames topics,
            GatewayMetrics metrics,
            Clock clock) {
        this.decoder = decoder;
        this.maxAlertBytes = maxAlertBytes;
        this.kafka = kafka;
        this.topics = topics;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param api the metric label of the endpoint: v2 or webhook
     * @param path the request path, recorded as the dead letters' origin
     */
    CompletableFuture<Reply> post(byte[] body, String api, String path) {
        long now = clock.millis();
        List<Ingested> decoded = new ArrayList<>();
        decoder.decode(body, new Origin("http:" + path, null, null, now), decoded::add);
        List<CompletableFuture<?>> writes = new ArrayList<>(decoded.size());
        List<String> errors = new ArrayList<>();
        int accepted = 0;
        for (Ingested in : decoded) {
            if (in.value != null) {
                byte[] value = encode(in.value);
                if (value.length > maxAlertBytes) {
                    String reason =
                            "alert "
                                    + in.value.getFingerprint()
                                    + ": record is "
                                    + value.length
                                    + " bytes, limit is "
                                    + maxAlertBytes;
                    errors.add(reason);
                    metrics.rejected.labelValues("alert", RejectReason.OVERSIZE.name()).inc();
                    writes.add(deadLetter(body, path, now, RejectReason.OVERSIZE, reason));
                    continue;
                }
                accepted++;
                writes.add(
                        kafka.send(
                                topics.alerts(),
                                in.value.getFingerprint().getBytes(StandardCharsets.UTF_8),
                                value));
            } else {
                DeadLetter d = in.deadLetter;
                errors.add(d.getError());
                metrics.rejected.labelValues("alert", d.getReasonCode()).inc();
                writes.add(
                        deadLetter(
                                body,
                                path,
                                now,
                                RejectReason.valueOf(d.getReasonCode()),
                                d.getError()));
            }
        }
        int written = accepted;
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .handle(
                        (ok, failure) -> {
                            if (failure != null) {
                                return Reply.error(
                                        503,
                                        "Kafka did not acknowledge the alerts, retry: "
                                                + rootMessage(failure));
                            }
                            metrics.alertsAccepted.labelValues(api).inc(written);
                            if (!errors.isEmpty()) {
                                return Reply.error(400, summary(errors, written));
                            }
                            return Reply.empty(200);
                        });
    }

    /** The refused record with its reason on the dead-letter topic, as the job records them. */
    private CompletableFuture<?> deadLetter(
            byte[] body, String path, long now, RejectReason reason, String error) {
        DeadLetter d =
                DeadLetter.newBuilder()
                        .setOriginal(ByteBuffer.wrap(body))
                        .setTopic("http:" + path)
                        .setPartition(null)
                        .setOffset(null)
                        .setStage("gateway")
                        .setReasonCode(reason.name())
                        .setError(error)
                        .setReceivedAt(java.time.Instant.ofEpochMilli(now))
                        .build();
        try {
            return kafka.send(topics.deadLetters(), null, bytes(d.toByteBuffer()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String summary(List<String> errors, int written) {
        int shown = Math.min(errors.size(), 10);
        StringBuilder b = new StringBuilder();
        b.append(errors.size()).append(errors.size() == 1 ? " alert" : " alerts");
        b.append(" refused (").append(written).append(" accepted): ");
        b.append(String.join("; ", errors.subList(0, shown)));
        if (errors.size() > shown) {
            b.append("; and ").append(errors.size() - shown).append(" more");
        }
        return b.toString();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    private static byte[] encode(Alert a) {
        try {
            return bytes(a.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
