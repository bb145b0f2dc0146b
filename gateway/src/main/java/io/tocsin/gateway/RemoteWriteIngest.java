package io.tocsin.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tocsin.avro.MetricPoint;
import io.tocsin.gateway.prompb.Label;
import io.tocsin.gateway.prompb.Sample;
import io.tocsin.gateway.prompb.TimeSeries;
import io.tocsin.gateway.prompb.WriteRequest;
import io.tocsin.ingest.RejectReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote write 1.0 receiver ({@code POST /api/v1/write}: a snappy-compressed protobuf
 * WriteRequest): each sample of an allowed series becomes an Avro MetricPoint on the telemetry
 * topic, keyed by series, so the anomaly detectors score what Prometheus already scrapes. Answers
 * 204 once Kafka acknowledged every point; 400 for series the job could not use (named, with the
 * reason; the others are still written); 413 above the size limit (compressed or not); 503 when
 * Kafka did not take the points, which Prometheus retries.
 */
final class RemoteWriteIngest {

    private final SeriesAllowList allow;
    private final int maxDecodedBytes;
    private final KafkaWriter kafka;
    private final String topic;
    private final GatewayMetrics metrics;

    RemoteWriteIngest(
            SeriesAllowList allow,
            int maxDecodedBytes,
            KafkaWriter kafka,
            String topic,
            GatewayMetrics metrics) {
        this.allow = allow;
        this.maxDecodedBytes = maxDecodedBytes;
        this.kafka = kafka;
        this.topic = topic;
        this.metrics = metrics;
    }

    CompletableFuture<Reply> post(byte[] body, String contentEncoding) throws RequestTooLarge {
        if (contentEncoding == null || !contentEncoding.trim().equalsIgnoreCase("snappy")) {
            return reject(
                    415,
                    RejectReason.WRONG_FORMAT,
                    "Content-Encoding: expected snappy (Prometheus remote write 1.0), found "
                            + (contentEncoding == null ? "none" : "'" + contentEncoding + "'"));
        }
        WriteRequest request;
        try {
            int length = Snappy.uncompressedLength(body);
            if (length > maxDecodedBytes || length < 0) {
                throw new RequestTooLarge(
                        "remote write body decompresses to "
                                + Integer.toUnsignedString(length)
                                + " bytes, limit is "
                                + maxDecodedBytes);
            }
            request = WriteRequest.parseFrom(Snappy.uncompress(body));
        } catch (InvalidProtocolBufferException e) {
            return reject(
                    400,
                    RejectReason.NOT_A_METRIC,
                    "protobuf: not a remote write WriteRequest: " + e.getMessage());
        } catch (IOException e) {
            return reject(400, RejectReason.NOT_A_METRIC, "snappy: " + e.getMessage());
        }
        List<CompletableFuture<?>> writes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long accepted = 0;
        for (int i = 0; i < request.getTimeseriesCount(); i++) {
            TimeSeries ts = request.getTimeseries(i);
            Map<String, String> labels = new TreeMap<>();
            String error = null;
            RejectReason reason = null;
            for (Label l : ts.getLabelsList()) {
                if (l.getName().isEmpty()) {
                    error = "timeseries[" + i + "].labels: empty label name";
                    reason = RejectReason.BAD_LABELS;
                } else if (labels.put(l.getName(), l.getValue()) != null) {
                    error = "timeseries[" + i + "].labels: duplicate label " + l.getName();
                    reason = RejectReason.BAD_LABELS;
                }
            }
            String metric = labels.get("__name__");
            if (error == null && (metric == null || metric.isEmpty())) {
                error = "timeseries[" + i + "].labels: __name__ (the metric name) is required";
                reason = RejectReason.NOT_A_METRIC;
            }
            if (error != null) {
                errors.add(error);
                metrics.rejected.labelValues("series", reason.name()).inc();
                continue;
            }
            if (!allow.allows(labels)) {
                metrics.samplesDropped
                        .labelValues("not_allowed")
                        .inc(ts.getSamplesCount() + ts.getHistogramsCount());
                continue;
            }
            if (ts.getHistogramsCount() > 0) {
                metrics.samplesDropped.labelValues("native_histogram").inc(ts.getHistogramsCount());
            }
            labels.remove("__name__");
            byte[] key = seriesKey(metric, labels).getBytes(StandardCharsets.UTF_8);
            for (Sample s : ts.getSamplesList()) {
                MetricPoint p =
                        MetricPoint.newBuilder()
                                .setMetric(metric)
                                .setLabels(new TreeMap<>(labels))
                                .setValue(s.getValue())
                                .setTimestamp(Instant.ofEpochMilli(s.getTimestamp()))
                                .build();
                writes.add(kafka.send(topic, key, encode(p)));
                accepted++;
            }
        }
        long written = accepted;
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .handle(
                        (ok, failure) -> {
                            if (failure != null) {
                                return Reply.error(
                                        503,
                                        "Kafka did not acknowledge the samples, retry: "
                                                + AlertIngest.rootMessage(failure));
                            }
                            metrics.samplesAccepted.inc(written);
                            if (!errors.isEmpty()) {
                                int shown = Math.min(10, errors.size());
                                return Reply.error(
                                        400,
                                        errors.size()
                                                + " series refused ("
                                                + written
                                                + " samples accepted): "
                                                + String.join("; ", errors.subList(0, shown))
                                                + (errors.size() > shown
                                                        ? "; and "
                                                                + (errors.size() - shown)
                                                                + " more"
                                                        : ""));
                            }
                            return Reply.empty(204);
                        });
    }

    private CompletableFuture<Reply> reject(int status, RejectReason reason, String message) {
        metrics.rejected.labelValues("request", reason.name()).inc();
        return CompletableFuture.completedFuture(Reply.error(status, message));
    }

    /** The series identity, {@code metric{a="x",b="y"}} with labels sorted, as the job keys it. */
    static String seriesKey(String metric, Map<String, String> sortedLabels) {
        StringBuilder b = new StringBuilder(metric).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : sortedLabels.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(e.getKey()).append("=\"");
            b.append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"));
            b.append('"');
        }
        return b.append('}').toString();
    }

    private static byte[] encode(MetricPoint p) {
        try {
            return AlertIngest.bytes(p.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
