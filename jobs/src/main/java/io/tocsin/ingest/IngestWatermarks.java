package io.tocsin.ingest;

import io.tocsin.config.IngestPolicy;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermark strategies of the input paths: event time is the record's own time (an alert's
 * receivedAt, a point's timestamp, a command's issuedAt), with the policy's bounded
 * out-of-orderness. Dead letters do not move the watermark: their time is a Kafka timestamp or
 * nothing, and letting it in would make the following records late.
 *
 * <p>Idle inputs differ by mode. In a backtest an idle input is marked idle after {@code
 * idleTimeout} so the others carry event time. Live, event time must also pass when nothing arrives
 * at all (an unacknowledged SEV1 must escalate at 3 a.m. with no other traffic): after {@code
 * idleTimeout} without a record, each input's watermark follows the wall clock, lagging it by
 * idleTimeout + maxOutOfOrderness. A record arriving later than that is late: handled at once,
 * counted, never dropped.
 */
public final class IngestWatermarks {

    private IngestWatermarks() {}

    /** Accepted records' event time, for a decoded input; null for dead letters. */
    public interface EventTime<T> extends Serializable {
        Long of(T record);
    }

    public static WatermarkStrategy<Ingested> forAlerts(IngestPolicy policy, boolean live) {
        return strategy(
                policy,
                live,
                in -> in.alert != null ? in.alert.getReceivedAt().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    public static WatermarkStrategy<IngestedPoint> forPoints(IngestPolicy policy, boolean live) {
        return strategy(
                policy,
                live,
                in -> in.point != null ? in.point.getTimestamp().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    public static WatermarkStrategy<IngestedCommand> forCommands(
            IngestPolicy policy, boolean live) {
        return strategy(
                policy,
                live,
                in -> in.command != null ? in.command.getIssuedAt().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    /** Backtest strategy for alerts (kept for callers that have no mode). */
    public static WatermarkStrategy<Ingested> forAlerts(IngestPolicy policy) {
        return forAlerts(policy, false);
    }

    public static WatermarkStrategy<IngestedPoint> forPoints(IngestPolicy policy) {
        return forPoints(policy, false);
    }

    private static <T> WatermarkStrategy<T> strategy(
            IngestPolicy policy, boolean live, EventTime<T> accepted, EventTime<T> rejected) {
        long bound = policy.maxOutOfOrderness().toMillis();
        Duration idle = policy.idleTimeout();
        if (live) {
            long lag = idle.toMillis() + bound;
            return WatermarkStrategy.<T>forGenerator(
                            ctx ->
                                    new ClockAware<>(
                                            bound,
                                            idle.toMillis(),
                                            lag,
                                            accepted,
                                            Clock.systemUTC()))
                    .withTimestampAssigner((in, prev) -> time(in, accepted, rejected));
        }
        WatermarkStrategy<T> s =
                WatermarkStrategy.<T>forGenerator(ctx -> new AcceptedOnly<>(bound, accepted))
                        .withTimestampAssigner((in, prev) -> time(in, accepted, rejected));
        return idle.isZero() ? s : s.withIdleness(idle);
    }

    private static <T> long time(T in, EventTime<T> accepted, EventTime<T> rejected) {
        Long t = accepted.of(in);
        return t != null ? t : rejected.of(in);
    }

    /** Bounded out-of-orderness over the accepted records' timestamps only. */
    static class AcceptedOnly<T> implements WatermarkGenerator<T> {
        private final long bound;
        private final EventTime<T> accepted;
        long maxTimestamp;

        AcceptedOnly(long bound, EventTime<T> accepted) {
            this.bound = bound;
            this.accepted = accepted;
            this.maxTimestamp = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            if (accepted.of(event) != null) {
                maxTimestamp = Math.max(maxTimestamp, timestamp);
                seen();
            }
        }

        void seen() {}

        long bound() {
            return bound;
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
        }
    }

    /**
     * As {@link AcceptedOnly}, but once no record has arrived for {@code idleMillis} of wall-clock
     * time the watermark follows the clock, {@code lagMillis} behind it; never backwards.
     */
    static final class ClockAware<T> extends AcceptedOnly<T> {
        private final long idleMillis;
        private final long lagMillis;
        private final Clock clock;
        private long lastRecordWall;
        private long emitted = Long.MIN_VALUE;

        ClockAware(
                long bound, long idleMillis, long lagMillis, EventTime<T> accepted, Clock clock) {
            super(bound, accepted);
            this.idleMillis = idleMillis;
            this.lagMillis = lagMillis;
            this.clock = clock;
            this.lastRecordWall = clock.millis();
        }

        @Override
        void seen() {
            lastRecordWall = clock.millis();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long now = clock.millis();
            long wm = maxTimestamp - bound() - 1;
            if (now - lastRecordWall >= idleMillis) {
                wm = Math.max(wm, now - lagMillis);
            }
            emitted = Math.max(emitted, wm);
            output.emitWatermark(new Watermark(emitted));
        }
    }
}
