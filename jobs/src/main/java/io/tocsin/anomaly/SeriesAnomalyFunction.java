package io.tocsin.anomaly;

import io.tocsin.avro.Alert;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.AnomalyPolicy;
import io.tocsin.metrics.MetricNames;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by series ({@link SeriesKey}): runs the series' {@link SeriesDetector} on each point, emits
 * an {@link AnomalyScore} per point to {@link #SCORES} and the synthetic alerts that {@link
 * AnomalyEpisodes} decides on. The detector and episode live in keyed state ({@link SeriesState},
 * about 740 bytes per series plus the key), so they survive restarts; a series that reports nothing
 * for {@code stateTtl} of event time is dropped by a timer (one per series, re-armed lazily).
 *
 * <p>Points are handled as they arrive, not buffered to the watermark: a series comes from one
 * Kafka partition in order, and buffering every point of millions of series would cost more state
 * than the detectors. A point older than the series' last point is skipped and counted.
 */
public class SeriesAnomalyFunction extends KeyedProcessFunction<String, MetricPoint, Alert> {

    /** Side output: one score per scored point. */
    public static final OutputTag<AnomalyScore> SCORES =
            new OutputTag<>("anomaly-scores", TypeInformation.of(AnomalyScore.class));

    private final AnomalyPolicy policy;
    private final long ttlMillis;

    private transient ValueState<byte[]> series;
    private transient AnomalyEpisodes episodes;
    private transient Counter scored;
    private transient Counter skipped;
    private transient Counter fired;
    private transient Counter resolved;
    private transient Counter expired;

    public SeriesAnomalyFunction(AnomalyPolicy policy) {
        this.policy = policy;
        this.ttlMillis = policy.stateTtl().toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        series =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "series",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        episodes = new AnomalyEpisodes(policy);
        var metrics = getRuntimeContext().getMetricGroup();
        scored = metrics.counter(MetricNames.ANOMALY_POINTS);
        skipped = metrics.counter(MetricNames.ANOMALY_POINTS_SKIPPED);
        fired = metrics.counter(MetricNames.ANOMALY_FIRED);
        resolved = metrics.counter(MetricNames.ANOMALY_RESOLVED);
        expired = metrics.counter(MetricNames.ANOMALY_SERIES_EXPIRED);
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<Alert> out)
            throws Exception {
        long t = point.getTimestamp().toEpochMilli();
        byte[] bytes = series.value();
        SeriesState s =
                bytes == null
                        ? SeriesState.fresh(policy.detector())
                        : SeriesState.fromBytes(bytes, policy.detector());
        if (!Double.isFinite(point.getValue()) || (bytes != null && t < s.lastSeenMillis)) {
            skipped.inc();
            return;
        }
        Assessment a = s.detector.update(t, point.getValue());
        scored.inc();
        ctx.output(
                SCORES,
                new AnomalyScore(
                        ctx.getCurrentKey(),
                        point.getMetric(),
                        point.getLabels(),
                        t,
                        point.getValue(),
                        a));
        AnomalyEpisodes.Step step = episodes.onPoint(s.episode, t, a);
        if (step.action() != AnomalyEpisodes.Action.NONE) {
            if (step.action() == AnomalyEpisodes.Action.FIRE) {
                fired.inc();
            } else if (step.action() == AnomalyEpisodes.Action.RESOLVE) {
                resolved.inc();
            }
            out.collect(AnomalyAlerts.of(point, step, policy));
        }
        s.lastSeenMillis = t;
        if (s.expiryTimerMillis == 0) {
            s.expiryTimerMillis = t + ttlMillis;
            ctx.timerService().registerEventTimeTimer(s.expiryTimerMillis);
        }
        series.update(s.toBytes());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        byte[] bytes = series.value();
        if (bytes == null) {
            return;
        }
        SeriesState s = SeriesState.fromBytes(bytes, policy.detector());
        if (timestamp != s.expiryTimerMillis) {
            return;
        }
        long due = s.lastSeenMillis + ttlMillis;
        if (due <= timestamp) {
            // A firing alert needs no resolve here: its last notification's endsAt has passed,
            // so dedupe has resolved it already.
            series.clear();
            expired.inc();
        } else {
            s.expiryTimerMillis = due;
            ctx.timerService().registerEventTimeTimer(due);
            series.update(s.toBytes());
        }
    }
}
