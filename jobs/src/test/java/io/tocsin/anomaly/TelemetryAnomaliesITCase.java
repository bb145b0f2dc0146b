package io.tocsin.anomaly;

import static io.tocsin.anomaly.Telemetry.ONSET;
import static io.tocsin.anomaly.Telemetry.noisy;
import static io.tocsin.anomaly.Telemetry.point;
import static io.tocsin.anomaly.Telemetry.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.AnomalyPolicy;
import io.tocsin.config.DedupePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The telemetry stage in a real job (MiniCluster, parallelism 2) feeding dedupe: three series for
 * eight days, one with an hour and a half of trouble. Its synthetic alert fires once and resolves
 * once after dedupe; the quiet and the daily series raise nothing.
 */
class TelemetryAnomaliesITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int POINTS = ONSET + 300;

    @Test
    void aTelemetryAnomalyBecomesOneFiringAndOneResolvedTransition() throws Exception {
        List<MetricPoint> points = new ArrayList<>();
        double[] troubled =
                values((i, n) -> noisy(n) + (i >= ONSET && i < ONSET + 18 ? 8 : 0), POINTS, 3);
        double[] quiet = values((i, n) -> noisy(n), POINTS, 4);
        double[] daily = values(Telemetry::daily, POINTS, 5);
        for (int i = 0; i < POINTS; i++) {
            points.add(point("latency_ms", Map.of("service", "checkout-api"), i, troubled[i]));
            points.add(point("latency_ms", Map.of("service", "users-api"), i, quiet[i]));
            points.add(point("requests", Map.of("service", "search"), i, daily[i]));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<MetricPoint> telemetry =
                env.fromData(points, TypeInformation.of(MetricPoint.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<MetricPoint>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(5))
                                        .withTimestampAssigner(
                                                (p, ts) -> p.getTimestamp().toEpochMilli()));
        SingleOutputStreamOperator<Alert> anomalies =
                TelemetryAnomalies.detect(telemetry, AnomalyPolicy.defaults());
        DataStream<Alert> transitions =
                io.tocsin.dedupe.Deduplication.apply(anomalies, DedupePolicy.defaults());
        List<Alert> out = new ArrayList<>();
        try (CloseableIterator<Alert> it = transitions.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }

        assertThat(out)
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(out)
                .allSatisfy(
                        a -> {
                            assertThat(a.getSource()).isEqualTo("anomaly");
                            assertThat(a.getLabels())
                                    .containsEntry("service", "checkout-api")
                                    .containsEntry("metric", "latency_ms")
                                    .containsEntry("alertname", "AnomalousMetric");
                        });
        assertThat(out.get(0).getFingerprint()).isEqualTo(out.get(1).getFingerprint());
    }
}
