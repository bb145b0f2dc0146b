package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.config.IngestPolicy;
import io.tocsin.config.InputLimits;
import io.tocsin.config.SeverityTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The per-record limits and the hostile inputs the fuzz test found (kept here as regression cases):
 * each is one dead letter with the reason naming the field and the limit, and the record's bytes.
 */
class InputLimitsTest {

    private static final InputLimits LIMITS = new InputLimits(4, 8, 16, 2, 32, 10);
    private final AlertDecoder alerts =
            new AlertDecoder(
                    SeverityTable.defaults(), 1 << 20, IngestPolicy.AlertFormat.AUTO, LIMITS);
    private final MetricPointDecoder points = new MetricPointDecoder(1 << 20, LIMITS);
    private final CommandDecoder commands = new CommandDecoder(1 << 20, LIMITS);
    private final AlertDecoder defaults = new AlertDecoder(SeverityTable.defaults(), 1 << 20);

    private static final String TIMES = "\"startsAt\":\"2026-11-02T02:00:00Z\"";

    private static DeadLetter onlyDeadLetter(List<? extends Decoded<?>> out, byte[] bytes) {
        assertThat(out).hasSize(1);
        DeadLetter d = out.get(0).rejected();
        assertThat(d).as("a dead letter, got %s", out).isNotNull();
        ByteBuffer b = d.getOriginal().duplicate();
        byte[] original = new byte[b.remaining()];
        b.get(original);
        assertThat(original).isEqualTo(bytes);
        return d;
    }

    private static <D> List<D> decoded(RecordDecoder<D> decoder, byte[] bytes) {
        List<D> out = new java.util.ArrayList<>();
        decoder.decode(bytes, Origin.line("t", 1), out::add);
        return out;
    }

    private DeadLetter alert(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return onlyDeadLetter(alerts.decode(bytes, Origin.line("t", 1)), bytes);
    }

    private static String labels(int n, int valueLength) {
        return IntStream.range(0, n)
                .mapToObj(i -> "\"l" + i + "\":\"" + "v".repeat(valueLength) + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Test
    void tooManyLabelsNameTheLimit() {
        DeadLetter d = alert("{\"labels\":" + labels(5, 1) + "," + TIMES + "}");
        assertThat(d.getReasonCode()).isEqualTo("OVER_LIMIT");
        assertThat(d.getError()).isEqualTo("labels: 5 labels, more than ingest.maxLabels (4)");
        DeadLetter inWebhook =
                alert("{\"alerts\":[{\"labels\":" + labels(300, 1) + "," + TIMES + "}]}");
        assertThat(inWebhook.getError())
                .isEqualTo("alerts[0].labels: 300 labels, more than ingest.maxLabels (4)");
    }

    @Test
    void aLongLabelNameOrValueNamesTheLimit() {
        assertThat(alert("{\"labels\":{\"abcdefghij\":\"x\"}," + TIMES + "}").getError())
                .isEqualTo(
                        "labels: a name of 10 characters (abcdefghij), longer than"
                                + " ingest.maxLabelNameLength (8)");
        assertThat(alert("{\"labels\":" + labels(1, 17) + "," + TIMES + "}").getError())
                .isEqualTo("labels.l0: 17 characters, longer than ingest.maxLabelValueLength (16)");
    }

    @Test
    void annotationsHaveTheirOwnLimits() {
        assertThat(
                        alert(
                                        "{\"labels\":{\"a\":\"b\"},\"annotations\":"
                                                + labels(3, 1)
                                                + ","
                                                + TIMES
                                                + "}")
                                .getError())
                .isEqualTo("annotations: 3 annotations, more than ingest.maxAnnotations (2)");
        assertThat(
                        alert(
                                        "{\"labels\":{\"a\":\"b\"},\"annotations\":{\"summary\":\""
                                                + "s".repeat(33)
                                                + "\"},"
                                                + TIMES
                                                + "}")
                                .getError())
                .isEqualTo(
                        "annotations.summary: 33 characters, longer than"
                                + " ingest.maxAnnotationLength (32)");
    }

    @Test
    void deepNestingIsRefusedWhileParsing() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        DeadLetter d = alert(deep);
        assertThat(d.getReasonCode()).isEqualTo("OVER_LIMIT");
        assertThat(d.getError()).isEqualTo("JSON nested deeper than ingest.maxNestingDepth (10)");
        byte[] point =
                ("{\"metric\":\"m\",\"x\":" + "{\"a\":".repeat(11) + "1" + "}".repeat(11) + "}")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(onlyDeadLetter(decoded(points, point), point).getError())
                .isEqualTo("JSON nested deeper than ingest.maxNestingDepth (10)");
    }

    @Test
    void metricPointLabelsAreLimitedInBothEncodings() throws Exception {
        byte[] json =
                ("{\"metric\":\"m\",\"labels\":"
                                + labels(5, 1)
                                + ",\"value\":1,\"timestamp\":\"2026-11-02T02:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(onlyDeadLetter(decoded(points, json), json).getError())
                .isEqualTo("labels: 5 labels, more than ingest.maxLabels (4)");
        byte[] avro =
                bytes(
                        io.tocsin.avro.MetricPoint.newBuilder()
                                .setMetric("m")
                                .setLabels(
                                        IntStream.range(0, 5)
                                                .boxed()
                                                .collect(Collectors.toMap(i -> "l" + i, i -> "v")))
                                .setValue(1)
                                .setTimestamp(Instant.parse("2026-11-02T02:00:00Z"))
                                .build()
                                .toByteBuffer());
        assertThat(onlyDeadLetter(decoded(points, avro), avro).getReasonCode())
                .isEqualTo("OVER_LIMIT");
    }

    // --- found by the fuzz test (DecoderFuzzTest) ---------------------------------------------

    @Test
    void aTimeAfter2262IsRefusedNotLeftToFailAtSerialization() {
        // Was accepted, then threw ArithmeticException writing the alert's epoch nanoseconds.
        DeadLetter d = alert("{\"labels\":{\"a\":\"b\"},\"startsAt\":\"+99999-01-01T00:00:00Z\"}");
        assertThat(d.getReasonCode()).isEqualTo("BAD_TIME");
        assertThat(d.getError())
                .startsWith(
                        "startsAt: +99999-01-01T00:00:00Z is outside the times the job can hold");
        byte[] cmd =
                ("{\"commandId\":\"c\",\"incidentId\":\"i\",\"type\":\"acknowledge\",\"actor\":\"a\","
                                + "\"role\":\"r\",\"issuedAt\":\"+999999999-12-31T23:59:59Z\"}")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(onlyDeadLetter(decoded(commands, cmd), cmd).getError())
                .startsWith("issuedAt: +999999999-12-31T23:59:59Z is outside");
    }

    @Test
    void aTimeBefore1970IsRefusedAsAvroWouldChangeIt() {
        // Was accepted; Avro's timestamp encoding turned 1969-12-31T23:59:59.5Z into 1970-...00.5Z
        // on the way through the job (so it can only be refused where it is still text).
        DeadLetter d = alert("{\"labels\":{\"a\":\"b\"},\"startsAt\":\"1969-12-31T23:59:59.5Z\"}");
        assertThat(d.getError()).startsWith("startsAt: 1969-12-31T23:59:59.500Z is outside");
    }

    @Test
    void aLoneSurrogateIsRefusedNotTurnedIntoAQuestionMark() {
        DeadLetter d = alert("{\"labels\":{\"a\":\"b\\ud800\"}," + TIMES + "}");
        assertThat(d.getReasonCode()).isEqualTo("MALFORMED_JSON");
        assertThat(d.getError())
                .isEqualTo(
                        "labels.a: not valid Unicode (a lone surrogate, which has no UTF-8 form)");
    }

    @Test
    void anAvroLengthPastTheRecordIsRefusedBeforeAnythingIsAllocated() {
        Alert a =
                defaults.decode(
                                ("{\"labels\":{\"a\":\"b\"}," + TIMES + "}")
                                        .getBytes(StandardCharsets.UTF_8),
                                Origin.line("t", 1))
                        .get(0)
                        .accepted();
        byte[] good = bytes(toByteBuffer(a));
        // The header, then the first string (source) claiming 2^30 bytes: zigzag varint.
        byte[] bad = Arrays.copyOf(good, 15);
        bad[10] = (byte) 0x80;
        bad[11] = (byte) 0x80;
        bad[12] = (byte) 0x80;
        bad[13] = (byte) 0x80;
        bad[14] = (byte) 0x08;
        DeadLetter d = onlyDeadLetter(defaults.decode(bad, Origin.line("t", 1)), bad);
        assertThat(d.getReasonCode()).isEqualTo("MALFORMED_AVRO");
    }

    private static java.nio.ByteBuffer toByteBuffer(Alert a) {
        try {
            return a.toByteBuffer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
