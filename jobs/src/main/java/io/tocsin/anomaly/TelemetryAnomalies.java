package io.tocsin.anomaly;

import io.tocsin.avro.Alert;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.AnomalyPolicy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The anomaly stage of DESIGN.md: telemetry keyed by series, one online detector per series,
 * synthetic alerts into the alert path after decode and before dedupe, and a score per point for
 * analysts. Wiring, for the pipeline:
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Alert> anomalies = TelemetryAnomalies.detect(points, policy);
 * DataStream<Alert> all = TelemetryAnomalies.mergeInto(alerts, anomalies);   // then dedupe
 * DataStream<AnomalyScore> scores = TelemetryAnomalies.scores(anomalies);   // to ClickHouse
 * }</pre>
 *
 * {@code points} need event-time timestamps and watermarks (the point's timestamp): series state
 * expires on event-time timers.
 */
public final class TelemetryAnomalies {

    /** The operator's name and uid: never change it, savepoints depend on it. */
    public static final String UID = "telemetry-anomalies";

    private TelemetryAnomalies() {}

    /** Scores every point and returns the synthetic alerts; scores are its side output. */
    public static SingleOutputStreamOperator<Alert> detect(
            DataStream<MetricPoint> points, AnomalyPolicy policy) {
        return points.keyBy(new SeriesKey())
                .process(new SeriesAnomalyFunction(policy))
                .name(UID)
                .uid(UID);
    }

    /** The per-point scores of a {@link #detect} result. */
    public static DataStream<AnomalyScore> scores(SingleOutputStreamOperator<Alert> detected) {
        return detected.getSideOutput(SeriesAnomalyFunction.SCORES);
    }

    /** The alert stream with the synthetic anomaly alerts added. */
    public static DataStream<Alert> mergeInto(
            DataStream<Alert> alerts, DataStream<Alert> anomalies) {
        return alerts.union(anomalies);
    }
}
