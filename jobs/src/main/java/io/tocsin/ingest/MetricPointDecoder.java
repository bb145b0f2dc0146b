package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.IngestPolicy;
import io.tocsin.config.InputLimits;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Decodes telemetry records: an Avro single-object MetricPoint, or a JSON object {@code {"metric":
 * "...", "labels": {...}, "value": 0.42, "timestamp": "2026-11-23T03:00:00Z"}} (timestamp also as
 * epoch milliseconds; value null or "NaN" marks a missing sample). Anything else becomes a dead
 * letter (stage {@code telemetry}) with a reason code and the offending field.
 */
public final class MetricPointDecoder extends SingleObjectDecoder<MetricPoint, IngestedPoint> {

    private static final long serialVersionUID = 1L;
    static final String STAGE = "telemetry";

    public MetricPointDecoder(int maxRecordBytes) {
        super(maxRecordBytes, STAGE);
    }

    public MetricPointDecoder(int maxRecordBytes, InputLimits limits) {
        super(maxRecordBytes, limits, STAGE);
    }

    public static MetricPointDecoder of(IngestPolicy ingest) {
        return new MetricPointDecoder(ingest.maxRecordBytes(), ingest.limits());
    }

    @Override
    Schema avroSchema() {
        return MetricPoint.getClassSchema();
    }

    @Override
    void check(MetricPoint point) throws InvalidAlertException {
        InputChecks.labels(point.getLabels(), "labels", limits());
        InputChecks.eventTime(point.getTimestamp(), "timestamp");
    }

    @Override
    public IngestedPoint heartbeat(long at) {
        return IngestedPoint.heartbeat(at);
    }

    @Override
    IngestedPoint accepted(MetricPoint point) {
        return IngestedPoint.of(point);
    }

    @Override
    IngestedPoint rejected(DeadLetter deadLetter) {
        return IngestedPoint.rejected(deadLetter);
    }

    @Override
    MetricPoint fromAvro(byte[] bytes) throws IOException {
        return MetricPoint.getDecoder().decode(bytes);
    }

    @Override
    InvalidAlertException notAnObject() {
        return new InvalidAlertException(
                RejectReason.NOT_A_METRIC, "expected a JSON object with metric and value");
    }

    @Override
    MetricPoint fromJson(JsonNode tree) throws InvalidAlertException {
        JsonNode metric = tree.get("metric");
        if (metric == null || !metric.isTextual() || metric.asText().isBlank()) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_METRIC, "metric: required, a non-empty string");
        }
        return MetricPoint.newBuilder()
                .setMetric(metric.asText())
                .setLabels(labels(tree.get("labels")))
                .setValue(value(tree.get("value")))
                .setTimestamp(timestamp(tree.get("timestamp")))
                .build();
    }

    private static Map<String, String> labels(JsonNode n) throws InvalidAlertException {
        Map<String, String> out = new TreeMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new InvalidAlertException(RejectReason.BAD_LABELS, "labels: expected an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new InvalidAlertException(
                        RejectReason.BAD_LABELS, "labels." + e.getKey() + ": expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static double value(JsonNode n) throws InvalidAlertException {
        if (n == null) {
            throw new InvalidAlertException(RejectReason.BAD_VALUE, "value: required");
        }
        if (n.isNull() || (n.isTextual() && n.asText().equalsIgnoreCase("nan"))) {
            return Double.NaN; // a missing sample, as Prometheus marks staleness
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new InvalidAlertException(
                RejectReason.BAD_VALUE, "value: cannot read " + n + " as a number");
    }

    private static Instant timestamp(JsonNode n) throws InvalidAlertException {
        if (n == null || n.isNull()) {
            throw new InvalidAlertException(RejectReason.BAD_TIME, "timestamp: required");
        }
        if (n.isIntegralNumber()) {
            return Instant.ofEpochMilli(n.asLong());
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME,
                    "timestamp: cannot parse \"" + n.asText() + "\" as an RFC 3339 time");
        }
    }
}
