package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.SeverityTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertDecoderTest {

    private final AlertDecoder decoder = new AlertDecoder(SeverityTable.defaults(), 4096);

    private List<Ingested> decode(String json) {
        return decoder.decode(
                json.getBytes(StandardCharsets.UTF_8), Origin.line("alerts.jsonl", 7));
    }

    private Alert one(String json) {
        List<Ingested> out = decode(json);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).deadLetter).as("dead letter").isNull();
        return out.get(0).value;
    }

    @Test
    void decodesAnAlertmanagerAlertObject() {
        Alert a =
                one(
                        """
                        {"labels":{"alertname":"PostgresDown","service":"users-pg","severity":"critical"},
                         "annotations":{"summary":"down"},"startsAt":"2026-11-02T02:00:00.123456789Z",
                         "endsAt":"0001-01-01T00:00:00Z","status":"firing",
                         "generatorURL":"http://prom/graph","fingerprint":"abc123"}""");
        assertThat(a.getFingerprint()).isEqualTo("abc123");
        assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(a.getStartsAt()).isEqualTo(Instant.parse("2026-11-02T02:00:00.123456789Z"));
        assertThat(a.getEndsAt()).isNull();
        assertThat(a.getReceivedAt())
                .as("event time defaults to startsAt when firing")
                .isEqualTo(a.getStartsAt());
        assertThat(a.getSeverity()).isEqualTo(Severity.SEV1);
        assertThat(a.getLabels()).containsEntry("severity", "critical");
        assertThat(a.getService()).isEqualTo("users-pg");
        assertThat(a.getGeneratorUrl()).isEqualTo("http://prom/graph");
        assertThat(a.getSource()).isEqualTo("json");
    }

    @Test
    void resolvedAlertTakesItsEventTimeFromEndsAtAndComputesTheFingerprint() {
        Alert a =
                one(
                        """
                        {"labels":{"alertname":"X","service":"s"},"startsAt":"2026-11-02T02:00:00Z",
                         "endsAt":"2026-11-02T02:05:00-01:00","status":"resolved"}""");
        assertThat(a.getReceivedAt()).isEqualTo(Instant.parse("2026-11-02T03:05:00Z"));
        assertThat(a.getFingerprint())
                .isEqualTo(Fingerprint.of(Map.of("alertname", "X", "service", "s")));
    }

    @Test
    void missingStatusFollowsAlertmanagersEndsAtRule() {
        Alert a =
                one(
                        """
                        {"labels":{"alertname":"X"},"startsAt":"2026-11-02T02:00:00Z",
                         "endsAt":"2026-11-02T02:01:00Z","receivedAt":"2026-11-02T02:02:00Z"}""");
        assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    void splitsAWebhookPayloadIntoOneRecordPerAlertAndRejectsOnlyTheBadOne() {
        List<Ingested> out =
                decode(
                        """
                        {"version":"4","groupKey":"{}:{alertname=\\"X\\"}","status":"firing","receiver":"tocsin",
                         "alerts":[
                          {"labels":{"alertname":"A"},"startsAt":"2026-11-02T02:00:00Z","status":"firing"},
                          {"labels":{"alertname":"B"},"startsAt":"yesterday","status":"firing"},
                          {"labels":{"alertname":"C"},"startsAt":"2026-11-02T02:00:00Z","status":"firing"}]}""");
        assertThat(out).hasSize(3);
        assertThat(out.get(0).value.getSource()).isEqualTo("alertmanager");
        assertThat(out.get(0).value.getLabels()).containsEntry("alertname", "A");
        assertThat(out.get(1).deadLetter.getReasonCode()).isEqualTo("BAD_TIME");
        assertThat(out.get(1).deadLetter.getError())
                .isEqualTo("alerts[1].startsAt: cannot parse \"yesterday\" as an RFC 3339 time");
        assertThat(out.get(2).value.getLabels()).containsEntry("alertname", "C");
    }

    @Test
    void decodesAJsonArrayOfAlerts() {
        List<Ingested> out =
                decode(
                        """
                        [{"labels":{"alertname":"A"},"startsAt":"2026-11-02T02:00:00Z"},
                         {"labels":{"alertname":"B"},"startsAt":"2026-11-02T02:00:00Z"}]""");
        assertThat(out)
                .extracting(i -> i.value.getLabels().get("alertname"))
                .containsExactly("A", "B");
    }

    @Test
    void decodesAvroSingleObjectEncoding() throws Exception {
        Alert original =
                io.tocsin.testing.Alerts.alert("DiskFull", "search-es")
                        .firing(
                                io.tocsin.testing.Alerts.BEGINNING,
                                io.tocsin.testing.Alerts.BEGINNING)
                        .label("severity", "P2")
                        .build();
        ByteBuffer buf = Alert.getEncoder().encode(original);
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        List<Ingested> out = decoder.decode(bytes, new Origin("alerts", 0, 5L, 1L));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value.getFingerprint()).isEqualTo(original.getFingerprint());
        assertThat(out.get(0).value.getSeverity())
                .as("normalised on ingest")
                .isEqualTo(Severity.SEV2);
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("not json at all", "MALFORMED_JSON", "not JSON"),
                Arguments.of("{}", "MISSING_LABELS", "labels: missing"),
                Arguments.of("{\"labels\":{}}", "MISSING_LABELS", "labels: empty"),
                Arguments.of(
                        "{\"labels\":{\"a\":1},\"startsAt\":\"2026-11-02T02:00:00Z\"}",
                        "BAD_LABELS",
                        "labels.a: expected a string, found a number"),
                Arguments.of(
                        "{\"labels\":{\"a\":\"b\"},\"startsAt\":\"2026-13-02\"}",
                        "BAD_TIME",
                        "startsAt: cannot parse \"2026-13-02\" as an RFC 3339 time"),
                Arguments.of("{\"labels\":{\"a\":\"b\"}}", "BAD_TIME", "startsAt: missing"),
                Arguments.of(
                        "{\"labels\":{\"a\":\"b\"},\"startsAt\":\"2026-11-02T02:00:00Z\",\"endsAt\":\"2026-11-02T01:00:00Z\"}",
                        "ENDS_BEFORE_STARTS",
                        "endsAt: 2026-11-02T01:00:00Z is before startsAt 2026-11-02T02:00:00Z"),
                Arguments.of(
                        "{\"labels\":{\"a\":\"b\"},\"startsAt\":\"2026-11-02T02:00:00Z\",\"status\":\"burning\"}",
                        "UNKNOWN_STATUS",
                        "status: unknown status \"burning\" (expected firing or resolved)"),
                Arguments.of("42", "NOT_AN_ALERT", "expected a JSON object, found a number"),
                Arguments.of("   ", "EMPTY", "empty record"),
                Arguments.of(
                        "{\"labels\":{\"a\":\"" + "x".repeat(5000) + "\"}}",
                        "OVERSIZE",
                        "limit is 4096"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badRecords")
    void deadLettersBadInputWithAPreciseReasonAndTheOriginalBytes(
            String input, String code, String message) {
        List<Ingested> out = decode(input);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value).isNull();
        var d = out.get(0).deadLetter;
        assertThat(d.getReasonCode()).isEqualTo(code);
        assertThat(d.getError()).contains(message);
        assertThat(DeadLetters.originalText(d)).isEqualTo(input);
        assertThat(d.getTopic()).isEqualTo("alerts.jsonl");
        assertThat(d.getOffset()).isEqualTo(7L);
    }
}
