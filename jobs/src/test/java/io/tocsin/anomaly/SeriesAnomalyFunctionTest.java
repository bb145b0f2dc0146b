package io.tocsin.anomaly;

import static io.tocsin.anomaly.Telemetry.ONSET;
import static io.tocsin.anomaly.Telemetry.noisy;
import static io.tocsin.anomaly.Telemetry.point;
import static io.tocsin.anomaly.Telemetry.time;
import static io.tocsin.anomaly.Telemetry.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.MetricPoint;
import io.tocsin.avro.Severity;
import io.tocsin.config.AnomalyPolicy;
import io.tocsin.ingest.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry operator in a harness: a week of a normal series, a level shift that lasts an hour
 * and a half, then normal again. Checks the synthetic alerts, the scores, the timers and the state,
 * expiry of a silent series, and a restart from a snapshot.
 */
class SeriesAnomalyFunctionTest {

    private static final Map<String, String> CHECKOUT_LATENCY_LABELS =
            Map.of("service", "checkout-api", "cluster", "prod-eu");
    private static final String METRIC = "http_request_latency_p99_ms";

    /** +8 standard deviations for 18 points (90 minutes), then back to normal. */
    private static final double[] SERIES =
            values((i, n) -> noisy(n) + (i >= ONSET && i < ONSET + 18 ? 8 : 0), ONSET + 200, 11);

    private final AnomalyPolicy policy = AnomalyPolicy.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SeriesAnomalyFunction(policy)),
                new SeriesKey(),
                Types.STRING);
    }

    private void send(int i, double value) throws Exception {
        send(point(METRIC, CHECKOUT_LATENCY_LABELS, i, value));
    }

    private void send(MetricPoint p) throws Exception {
        harness.processElement(new StreamRecord<>(p, p.getTimestamp().toEpochMilli()));
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    private List<AnomalyScore> scores() {
        return harness.getSideOutput(SeriesAnomalyFunction.SCORES).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void aLevelShiftFiresAnAlertThatResolvesWhenTheSeriesRecovers() throws Exception {
        for (int i = 0; i < SERIES.length; i++) {
            send(i, SERIES[i]);
        }
        List<Alert> firing =
                alerts().stream().filter(a -> a.getStatus() == AlertStatus.FIRING).toList();
        List<Alert> resolved =
                alerts().stream().filter(a -> a.getStatus() == AlertStatus.RESOLVED).toList();
        assertThat(firing).isNotEmpty();
        assertThat(resolved).hasSize(1);

        Alert first = firing.get(0);
        Map<String, String> labels = new TreeMap<>(CHECKOUT_LATENCY_LABELS);
        labels.put("alertname", "AnomalousMetric");
        labels.put("metric", METRIC);
        labels.put("severity", "warning");
        assertThat(first.getLabels()).isEqualTo(labels);
        assertThat(first.getFingerprint()).isEqualTo(Fingerprint.of(labels));
        assertThat(first.getSource()).isEqualTo(AnomalyAlerts.SOURCE);
        assertThat(first.getService()).isEqualTo("checkout-api");
        assertThat(first.getSeverity()).isEqualTo(Severity.SEV3);
        assertThat(first.getStartsAt())
                .isBetween(
                        Instant.ofEpochMilli(time(ONSET)), Instant.ofEpochMilli(time(ONSET + 1)));
        assertThat(first.getReceivedAt())
                .isBetween(
                        Instant.ofEpochMilli(time(ONSET)), Instant.ofEpochMilli(time(ONSET + 2)));
        assertThat(first.getEndsAt())
                .as("dedupe resolves it if the series stops reporting")
                .isEqualTo(first.getReceivedAt().plus(Duration.ofMinutes(15)));
        assertThat(first.getAnnotations()).containsKeys("score", "detector", "value", "summary");
        assertThat(Double.parseDouble(first.getAnnotations().get("score")))
                .isGreaterThanOrEqualTo(0.6);

        assertThat(firing)
                .as("every re-send carries the same episode start, so dedupe drops it")
                .allSatisfy(a -> assertThat(a.getStartsAt()).isEqualTo(first.getStartsAt()));
        Alert end = resolved.get(0);
        assertThat(end.getFingerprint()).isEqualTo(first.getFingerprint());
        assertThat(end.getStartsAt()).isEqualTo(first.getStartsAt());
        assertThat(end.getEndsAt()).isEqualTo(end.getReceivedAt());
        assertThat(end.getReceivedAt()).isAfter(Instant.ofEpochMilli(time(ONSET + 18)));
        assertThat(alerts().get(alerts().size() - 1)).isEqualTo(end);

        assertThat(scores()).hasSize(SERIES.length);
        assertThat(scores().get(ONSET).series)
                .isEqualTo(
                        "http_request_latency_p99_ms{cluster=\"prod-eu\",service=\"checkout-api\"}");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("one expiry timer per series").isEqualTo(1);
    }

    @Test
    void aSeriesThatStopsReportingIsForgottenAfterTheTtl() throws Exception {
        for (int i = 0; i < 300; i++) {
            send(i, SERIES[i]);
            send(point("queue_depth", Map.of("queue", "payments"), i, 10 + SERIES[i]));
        }
        // The queue keeps reporting for another day; the latency series has gone silent.
        long ttl = policy.stateTtl().toMillis();
        int last = 300 + (int) (ttl / Telemetry.STEP.toMillis()) + 10;
        for (int i = 300; i < last; i += 12) {
            send(point("queue_depth", Map.of("queue", "payments"), i, 10 + SERIES[i % 1000]));
        }
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.processWatermark(time(299) + ttl);
        assertThat(harness.numKeyedStateEntries()).as("latency forgotten").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aPointOlderThanTheSeriesLastPointIsSkipped() throws Exception {
        for (int i = 0; i < 10; i++) {
            send(i, SERIES[i]);
        }
        send(5, 1e9);
        send(point(METRIC, CHECKOUT_LATENCY_LABELS, 10, Double.NaN));
        assertThat(scores()).hasSize(10);
        send(11, SERIES[11]);
        assertThat(scores()).hasSize(11);
    }

    @Test
    void detectorStateSurvivesARestart() throws Exception {
        int cut = ONSET - 5;
        for (int i = 0; i < cut; i++) {
            send(i, SERIES[i]);
        }
        OperatorSubtaskState snapshot = harness.snapshot(1, time(cut));
        List<AnomalyScore> straight;
        for (int i = cut; i < SERIES.length; i++) {
            send(i, SERIES[i]);
        }
        straight = scores().subList(cut, SERIES.length);
        List<Alert> straightAlerts = alerts();

        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        for (int i = cut; i < SERIES.length; i++) {
            send(i, SERIES[i]);
        }
        assertThat(scores()).isEqualTo(straight);
        assertThat(alerts()).isEqualTo(straightAlerts);
    }
}
