package io.tocsin.ingest;

import io.tocsin.config.IngestPolicy;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The one watermark strategy of the alert path: event time is the alert's receivedAt, with the
 * policy's bounded out-of-orderness and idleness. Dead letters do not move the watermark: their
 * time is a Kafka timestamp or nothing, and letting it in would make the following alerts late.
 */
public final class IngestWatermarks {

    private IngestWatermarks() {}

    public static WatermarkStrategy<Ingested> forAlerts(IngestPolicy policy) {
        long bound = policy.maxOutOfOrderness().toMillis();
        WatermarkStrategy<Ingested> s =
                WatermarkStrategy.<Ingested>forGenerator(
                                ctx -> new AcceptedOnly<>(bound, in -> in.alert != null))
                        .withTimestampAssigner(
                                (in, previous) ->
                                        in.alert != null
                                                ? in.alert.getReceivedAt().toEpochMilli()
                                                : in.deadLetter.getReceivedAt().toEpochMilli());
        Duration idle = policy.idleTimeout();
        return idle.isZero() ? s : s.withIdleness(idle);
    }

    /**
     * The telemetry path's strategy: event time is the point's timestamp; same bound and idleness
     * as alerts. Dead letters do not move the watermark.
     */
    public static WatermarkStrategy<IngestedPoint> forPoints(IngestPolicy policy) {
        long bound = policy.maxOutOfOrderness().toMillis();
        WatermarkStrategy<IngestedPoint> s =
                WatermarkStrategy.<IngestedPoint>forGenerator(
                                ctx -> new AcceptedOnly<>(bound, in -> in.point != null))
                        .withTimestampAssigner(
                                (in, previous) ->
                                        in.point != null
                                                ? in.point.getTimestamp().toEpochMilli()
                                                : in.deadLetter.getReceivedAt().toEpochMilli());
        Duration idle = policy.idleTimeout();
        return idle.isZero() ? s : s.withIdleness(idle);
    }

    /** Bounded out-of-orderness over the accepted records' timestamps only. */
    static final class AcceptedOnly<T> implements WatermarkGenerator<T> {
        private final long bound;
        private final java.util.function.Predicate<T> accepted;
        private long maxTimestamp;

        AcceptedOnly(long bound, java.util.function.Predicate<T> accepted) {
            this.bound = bound;
            this.accepted = accepted;
            this.maxTimestamp = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            if (accepted.test(event)) {
                maxTimestamp = Math.max(maxTimestamp, timestamp);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
        }
    }
}
