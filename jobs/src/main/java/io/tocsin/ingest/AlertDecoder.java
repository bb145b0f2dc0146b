package io.tocsin.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.config.IngestPolicy;
import io.tocsin.config.InputLimits;
import io.tocsin.config.SeverityTable;
import io.tocsin.time.Rfc3339;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns the raw bytes of one input record into alerts, or into dead letters with the reason.
 * Recognises, per record: Avro single-object encoded {@link Alert}s, Alertmanager webhook payloads
 * (an object with {@code alerts[]}, one alert each), a JSON array of alert objects (Alertmanager's
 * API v2 body) and a single Alertmanager alert object. Never throws on bad input.
 */
public final class AlertDecoder implements RecordDecoder<Ingested> {

    private static final long serialVersionUID = 1L;

    private final SeverityTable severities;
    private final int maxRecordBytes;
    private final IngestPolicy.AlertFormat format;
    private final InputLimits limits;
    private transient ObjectMapper json;

    public AlertDecoder(SeverityTable severities, int maxRecordBytes) {
        this(severities, maxRecordBytes, IngestPolicy.AlertFormat.AUTO);
    }

    /**
     * @param format detect per record (AUTO) or accept only the given format
     */
    public AlertDecoder(
            SeverityTable severities, int maxRecordBytes, IngestPolicy.AlertFormat format) {
        this(severities, maxRecordBytes, format, InputLimits.DEFAULTS);
    }

    /**
     * @param limits what one alert may hold; over them it is dead-lettered (OVER_LIMIT)
     */
    public AlertDecoder(
            SeverityTable severities,
            int maxRecordBytes,
            IngestPolicy.AlertFormat format,
            InputLimits limits) {
        this.severities = severities;
        this.maxRecordBytes = maxRecordBytes;
        this.format = format;
        this.limits = limits;
    }

    public static AlertDecoder of(IngestPolicy ingest, SeverityTable severities) {
        return new AlertDecoder(
                severities, ingest.maxRecordBytes(), ingest.format(), ingest.limits());
    }

    private ObjectMapper json() {
        if (json == null) {
            json = limits.jsonReader(maxRecordBytes);
        }
        return json;
    }

    private boolean allows(IngestPolicy.AlertFormat f) {
        return format == IngestPolicy.AlertFormat.AUTO || format == f;
    }

    private void wrongFormat(byte[] bytes, Origin origin, String found, Consumer<Ingested> out) {
        out.accept(
                reject(
                        bytes,
                        origin,
                        RejectReason.WRONG_FORMAT,
                        "expected "
                                + format.name().toLowerCase(java.util.Locale.ROOT)
                                + " records on this topic, found "
                                + found));
    }

    @Override
    public Ingested heartbeat(long at) {
        return Ingested.heartbeat(at);
    }

    /** Decodes one record, passing each alert or dead letter to {@code out} in input order. */
    @Override
    public void decode(byte[] bytes, Origin origin, Consumer<Ingested> out) {
        if (bytes == null || isBlank(bytes)) {
            out.accept(reject(bytes, origin, RejectReason.EMPTY, "empty record"));
            return;
        }
        if (bytes.length > maxRecordBytes) {
            out.accept(
                    reject(
                            bytes,
                            origin,
                            RejectReason.OVERSIZE,
                            "record is " + bytes.length + " bytes, limit is " + maxRecordBytes));
            return;
        }
        if (SingleObjectDecoder.isAvroSingleObject(bytes)) {
            if (allows(IngestPolicy.AlertFormat.AVRO)) {
                decodeAvro(bytes, origin, out);
            } else {
                wrongFormat(bytes, origin, "an Avro record", out);
            }
            return;
        }
        if (format == IngestPolicy.AlertFormat.AVRO) {
            wrongFormat(bytes, origin, "no Avro single-object header", out);
            return;
        }
        JsonNode tree;
        try {
            tree = json().readTree(bytes);
        } catch (StreamConstraintsException e) {
            out.accept(reject(bytes, origin, overLimit(e)));
            return;
        } catch (JsonProcessingException e) {
            out.accept(
                    reject(
                            bytes,
                            origin,
                            RejectReason.MALFORMED_JSON,
                            "not JSON: " + e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            out.accept(
                    reject(
                            bytes,
                            origin,
                            RejectReason.MALFORMED_JSON,
                            "not JSON: " + e.getMessage()));
            return;
        }
        if (tree == null || tree.isMissingNode()) {
            out.accept(reject(bytes, origin, RejectReason.EMPTY, "empty record"));
            return;
        }
        try {
            InputChecks.wellFormedText(tree, "");
        } catch (InvalidAlertException e) {
            out.accept(reject(bytes, origin, e));
            return;
        }
        if (tree.isArray()) {
            if (allows(IngestPolicy.AlertFormat.JSON)) {
                decodeList(bytes, origin, tree, "", "json", out);
            } else {
                wrongFormat(bytes, origin, "a JSON array of alerts", out);
            }
        } else if (!tree.isObject()) {
            out.accept(
                    reject(
                            bytes,
                            origin,
                            RejectReason.NOT_AN_ALERT,
                            "expected a JSON object, found " + typeName(tree)));
        } else if (tree.has("alerts")) {
            if (!allows(IngestPolicy.AlertFormat.WEBHOOK)) {
                wrongFormat(bytes, origin, "a webhook payload", out);
                return;
            }
            JsonNode alerts = tree.get("alerts");
            if (!alerts.isArray()) {
                out.accept(
                        reject(
                                bytes,
                                origin,
                                RejectReason.NOT_AN_ALERT,
                                "alerts: expected a list"));
            } else {
                decodeList(bytes, origin, alerts, "alerts", "alertmanager", out);
            }
        } else if (allows(IngestPolicy.AlertFormat.JSON)) {
            decodeOne(bytes, origin, tree, "", "json", out);
        } else {
            wrongFormat(bytes, origin, "a single alert object", out);
        }
    }

    private InvalidAlertException overLimit(StreamConstraintsException e) {
        return e.getMessage().contains("nesting depth")
                ? InputChecks.tooDeep(limits)
                : new InvalidAlertException(
                        RejectReason.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage());
    }

    private static Ingested reject(byte[] bytes, Origin origin, InvalidAlertException e) {
        return reject(bytes, origin, e.reason(), e.getMessage());
    }

    /** Convenience for tests and tools: all results of one record. */
    public List<Ingested> decode(byte[] bytes, Origin origin) {
        List<Ingested> out = new ArrayList<>();
        decode(bytes, origin, out::add);
        return out;
    }

    private void decodeList(
            byte[] bytes,
            Origin origin,
            JsonNode list,
            String path,
            String source,
            Consumer<Ingested> out) {
        if (list.isEmpty()) {
            out.accept(reject(bytes, origin, RejectReason.NOT_AN_ALERT, path + "[]: no alerts"));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            decodeOne(bytes, origin, list.get(i), path + "[" + i + "]", source, out);
        }
    }

    private void decodeOne(
            byte[] bytes,
            Origin origin,
            JsonNode node,
            String path,
            String source,
            Consumer<Ingested> out) {
        try {
            out.accept(Ingested.of(fromJson(node, path, source, origin)));
        } catch (InvalidAlertException e) {
            out.accept(reject(bytes, origin, e.reason(), e.getMessage()));
        }
    }

    private void decodeAvro(byte[] bytes, Origin origin, Consumer<Ingested> out) {
        Alert a;
        try {
            InputChecks.avroFits(bytes, Alert.getClassSchema());
            a = Alert.getDecoder().decode(bytes);
        } catch (IOException | RuntimeException e) {
            out.accept(
                    reject(
                            bytes,
                            origin,
                            RejectReason.MALFORMED_AVRO,
                            "not an Avro Alert: " + e.getMessage()));
            return;
        }
        try {
            out.accept(Ingested.of(complete(a, origin, "")));
        } catch (InvalidAlertException e) {
            out.accept(reject(bytes, origin, e.reason(), e.getMessage()));
        }
    }

    private Alert fromJson(JsonNode n, String path, String source, Origin origin)
            throws InvalidAlertException {
        String p = path.isEmpty() ? "" : path + ".";
        if (!n.isObject()) {
            throw new InvalidAlertException(
                    RejectReason.NOT_AN_ALERT,
                    path + ": expected an alert object, found " + typeName(n));
        }
        Map<String, String> labels = stringMap(n.get("labels"), p + "labels", true);
        Map<String, String> annotations = stringMap(n.get("annotations"), p + "annotations", false);
        Instant startsAt = time(n.get("startsAt"), p + "startsAt");
        Instant endsAt = time(n.get("endsAt"), p + "endsAt");
        Instant receivedAt = time(n.get("receivedAt"), p + "receivedAt");
        AlertStatus status = status(n.get("status"), p + "status");
        String fingerprint = text(n.get("fingerprint"));
        String generatorUrl = text(n.get("generatorURL"));
        if (generatorUrl == null) {
            generatorUrl = text(n.get("generatorUrl"));
        }
        Alert a =
                Alert.newBuilder()
                        .setSource(source)
                        .setFingerprint(fingerprint == null ? "" : fingerprint)
                        .setStatus(status == null ? AlertStatus.UNKNOWN : status)
                        .setLabels(labels)
                        .setAnnotations(annotations)
                        .setStartsAt(startsAt == null ? Instant.EPOCH : startsAt)
                        .setEndsAt(endsAt)
                        .setGeneratorUrl(generatorUrl)
                        .setReceivedAt(receivedAt == null ? Instant.EPOCH : receivedAt)
                        .build();
        return complete(a, origin, p, startsAt == null, receivedAt == null);
    }

    private Alert complete(Alert a, Origin origin, String p) throws InvalidAlertException {
        return complete(a, origin, p, false, false);
    }

    /**
     * Validates and fills the derived fields: status when absent, event time, fingerprint,
     * normalised severity and service.
     */
    private Alert complete(
            Alert a, Origin origin, String p, boolean startsMissing, boolean receivedMissing)
            throws InvalidAlertException {
        if (a.getLabels() == null || a.getLabels().isEmpty()) {
            throw new InvalidAlertException(
                    RejectReason.MISSING_LABELS, p + "labels: missing or empty");
        }
        InputChecks.labels(a.getLabels(), p + "labels", limits);
        InputChecks.annotations(a.getAnnotations(), p + "annotations", limits);
        InputChecks.eventTime(a.getStartsAt(), p + "startsAt");
        InputChecks.eventTime(a.getEndsAt(), p + "endsAt");
        InputChecks.eventTime(a.getReceivedAt(), p + "receivedAt");
        Instant fallbackTime =
                origin != null && origin.timestampMillis() != null && origin.timestampMillis() > 0
                        ? Instant.ofEpochMilli(origin.timestampMillis())
                        : null;
        if (startsMissing) {
            if (receivedMissing && fallbackTime == null) {
                throw new InvalidAlertException(RejectReason.BAD_TIME, p + "startsAt: missing");
            }
            a.setStartsAt(receivedMissing ? fallbackTime : a.getReceivedAt());
        }
        Instant endsAt = a.getEndsAt();
        if (endsAt != null && endsAt.isBefore(a.getStartsAt())) {
            throw new InvalidAlertException(
                    RejectReason.ENDS_BEFORE_STARTS,
                    p
                            + "endsAt: "
                            + Rfc3339.format(endsAt)
                            + " is before startsAt "
                            + Rfc3339.format(a.getStartsAt()));
        }
        if (a.getStatus() == AlertStatus.UNKNOWN) {
            // Alertmanager's rule: resolved once endsAt has passed.
            Instant now =
                    receivedMissing
                            ? (fallbackTime != null ? fallbackTime : a.getStartsAt())
                            : a.getReceivedAt();
            a.setStatus(
                    endsAt != null && !endsAt.isAfter(now)
                            ? AlertStatus.RESOLVED
                            : AlertStatus.FIRING);
        }
        if (a.getStatus() == AlertStatus.RESOLVED
                && endsAt == null
                && receivedMissing
                && fallbackTime == null) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME,
                    p + "endsAt: a resolved alert needs endsAt or receivedAt to place it in time");
        }
        if (receivedMissing) {
            Instant eventTime;
            if (fallbackTime != null) {
                eventTime = fallbackTime;
            } else if (a.getStatus() == AlertStatus.RESOLVED) {
                eventTime = endsAt;
            } else {
                eventTime = a.getStartsAt();
            }
            a.setReceivedAt(eventTime);
        }
        // Again, as the record's timestamp may have filled them.
        InputChecks.eventTime(a.getStartsAt(), p + "startsAt");
        InputChecks.eventTime(a.getReceivedAt(), p + "receivedAt");
        if (a.getFingerprint() == null || a.getFingerprint().isBlank()) {
            a.setFingerprint(Fingerprint.of(a.getLabels()));
        }
        a.setSeverity(severities.normalise(a.getLabels()));
        String service = a.getLabels().get("service");
        a.setService(service == null || service.isBlank() ? null : service);
        return a;
    }

    private static AlertStatus status(JsonNode n, String field) throws InvalidAlertException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidAlertException(
                    RejectReason.UNKNOWN_STATUS,
                    field + ": expected \"firing\" or \"resolved\", found " + n);
        }
        switch (n.asText().trim().toLowerCase(Locale.ROOT)) {
            case "firing":
                return AlertStatus.FIRING;
            case "resolved":
                return AlertStatus.RESOLVED;
            default:
                throw new InvalidAlertException(
                        RejectReason.UNKNOWN_STATUS,
                        field
                                + ": unknown status \""
                                + n.asText()
                                + "\" (expected firing or resolved)");
        }
    }

    private static Instant time(JsonNode n, String field) throws InvalidAlertException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME,
                    field + ": expected an RFC 3339 time string, found " + n);
        }
        try {
            return Rfc3339.parseOrZero(n.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME,
                    field + ": cannot parse \"" + n.asText() + "\" as an RFC 3339 time");
        }
    }

    private static Map<String, String> stringMap(JsonNode n, String field, boolean required)
            throws InvalidAlertException {
        Map<String, String> out = new TreeMap<>();
        if (n == null || n.isNull()) {
            if (required) {
                throw new InvalidAlertException(RejectReason.MISSING_LABELS, field + ": missing");
            }
            return out;
        }
        if (!n.isObject()) {
            throw new InvalidAlertException(
                    required ? RejectReason.MISSING_LABELS : RejectReason.BAD_LABELS,
                    field + ": expected a mapping of names to strings, found " + typeName(n));
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isTextual()) {
                throw new InvalidAlertException(
                        RejectReason.BAD_LABELS,
                        field + "." + e.getKey() + ": expected a string, found " + typeName(v));
            }
            if (e.getKey().isEmpty()) {
                throw new InvalidAlertException(
                        RejectReason.BAD_LABELS, field + ": empty label name");
            }
            out.put(e.getKey(), v.asText());
        }
        if (required && out.isEmpty()) {
            throw new InvalidAlertException(RejectReason.MISSING_LABELS, field + ": empty");
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() || n.asText().isEmpty()
                ? null
                : n.asText();
    }

    private static String typeName(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }

    static Ingested reject(byte[] bytes, Origin origin, RejectReason reason, String message) {
        return Ingested.rejected(DeadLetters.of(bytes, origin, "ingest", reason, message));
    }
}
