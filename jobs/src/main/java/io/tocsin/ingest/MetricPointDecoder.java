package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.MetricPoint;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Decodes telemetry records: an Avro single-object MetricPoint, or a JSON object {@code {"metric":
 * "...", "labels": {...}, "value": 0.42, "timestamp": "2026-11-23T03:00:00Z"}} (timestamp also as
 * epoch milliseconds; value null or "NaN" marks a missing sample). Anything else becomes a dead
 * letter (stage {@code telemetry}) with a reason code and the offending field.
 */
public final class MetricPointDecoder implements RecordDecoder<IngestedPoint> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STAGE = "telemetry";

    private final int maxRecordBytes;

    public MetricPointDecoder(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public IngestedPoint heartbeat(long at) {
        return IngestedPoint.heartbeat(at);
    }

    @Override
    public void decode(byte[] bytes, Origin origin, Consumer<IngestedPoint> out) {
        try {
            out.accept(IngestedPoint.of(point(bytes)));
        } catch (InvalidAlertException e) {
            out.accept(
                    IngestedPoint.rejected(
                            AlertDecoder.deadLetter(
                                    bytes, origin, STAGE, e.reason(), e.getMessage())));
        }
    }

    private MetricPoint point(byte[] bytes) throws InvalidAlertException {
        if (bytes == null || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidAlertException(RejectReason.EMPTY, "empty record");
        }
        if (bytes.length > maxRecordBytes) {
            throw new InvalidAlertException(
                    RejectReason.OVERSIZE,
                    "record is " + bytes.length + " bytes, limit is " + maxRecordBytes);
        }
        if (bytes.length > 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01) {
            try {
                return MetricPoint.getDecoder().decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw new InvalidAlertException(
                        RejectReason.MALFORMED_AVRO, "not an Avro MetricPoint: " + e.getMessage());
            }
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidAlertException(
                    RejectReason.MALFORMED_JSON, "not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_METRIC, "expected a JSON object with metric and value");
        }
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
