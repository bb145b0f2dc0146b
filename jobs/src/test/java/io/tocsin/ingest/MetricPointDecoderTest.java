package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricPointDecoderTest {

    private final MetricPointDecoder decoder = new MetricPointDecoder(1024);

    private List<IngestedPoint> decode(byte[] bytes) {
        List<IngestedPoint> out = new ArrayList<>();
        decoder.decode(bytes, new Origin("telemetry", 2, 41L, 1_000L), out::add);
        return out;
    }

    private List<IngestedPoint> decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsJsonWithRfc3339OrEpochTimesAndNanForMissingSamples() {
        MetricPoint p =
                decode(
                                "{\"metric\":\"latency_ms\",\"labels\":{\"service\":\"a\",\"shard\":3},"
                                        + "\"value\":12.5,\"timestamp\":\"2026-11-02T02:00:00.250Z\"}")
                        .get(0)
                        .value;
        assertThat(p.getMetric()).isEqualTo("latency_ms");
        assertThat(p.getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("service", "a", "shard", "3"));
        assertThat(p.getValue()).isEqualTo(12.5);
        assertThat(p.getTimestamp()).isEqualTo(Instant.parse("2026-11-02T02:00:00.250Z"));

        MetricPoint q =
                decode("{\"metric\":\"m\",\"value\":null,\"timestamp\":1700000000000}")
                        .get(0)
                        .value;
        assertThat(q.getValue()).isNaN();
        assertThat(q.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(q.getLabels()).isEmpty();
    }

    @Test
    void readsAvroSingleObjectEncoding() throws Exception {
        MetricPoint p =
                MetricPoint.newBuilder()
                        .setMetric("m")
                        .setLabels(Map.of("service", "b"))
                        .setValue(1.0)
                        .setTimestamp(Instant.ofEpochMilli(5))
                        .build();
        byte[] bytes = MetricPoint.getEncoder().encode(p).array();
        assertThat(decode(bytes).get(0).value).isEqualTo(p);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json|MALFORMED_JSON|not JSON",
                "[1,2]|NOT_A_METRIC|expected a JSON object with metric and value",
                "{\"value\":1,\"timestamp\":1}|NOT_A_METRIC|metric: required, a non-empty string",
                "{\"metric\":\"m\",\"timestamp\":1}|BAD_VALUE|value: required",
                "{\"metric\":\"m\",\"value\":\"fast\",\"timestamp\":1}|BAD_VALUE|value: cannot read \"fast\" as a number",
                "{\"metric\":\"m\",\"value\":1}|BAD_TIME|timestamp: required",
                "{\"metric\":\"m\",\"value\":1,\"timestamp\":\"yesterday\"}|BAD_TIME|timestamp: cannot parse \"yesterday\" as an RFC 3339 time",
                "{\"metric\":\"m\",\"labels\":[1],\"value\":1,\"timestamp\":1}|BAD_LABELS|labels: expected an object",
                "{\"metric\":\"m\",\"labels\":{\"a\":{}},\"value\":1,\"timestamp\":1}|BAD_LABELS|labels.a: expected a string",
            })
    void badRecordsBecomeDeadLettersWithReasonAndOrigin(String line, String code, String error) {
        IngestedPoint out = decode(line).get(0);
        assertThat(out.value).isNull();
        assertThat(out.deadLetter.getReasonCode()).isEqualTo(code);
        assertThat(out.deadLetter.getError()).startsWith(error);
        assertThat(out.deadLetter.getStage()).isEqualTo("telemetry");
        assertThat(out.deadLetter.getTopic()).isEqualTo("telemetry");
        assertThat(out.deadLetter.getPartition()).isEqualTo(2);
        assertThat(out.deadLetter.getOffset()).isEqualTo(41L);
        assertThat(DeadLetters.originalText(out.deadLetter)).isEqualTo(line);
    }

    @Test
    void emptyAndOversizeRecordsAreRefused() {
        assertThat(decode("  ").get(0).deadLetter.getReasonCode()).isEqualTo("EMPTY");
        assertThat(decode("x".repeat(2000)).get(0).deadLetter.getReasonCode())
                .isEqualTo("OVERSIZE");
    }
}
