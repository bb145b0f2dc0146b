package io.tocsin.ingest;

import io.tocsin.config.IngestPolicy;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermark strategies of the input paths: event time is the record's own time (an alert's
 * receivedAt, a point's timestamp, a command's issuedAt, a change's time). Dead letters do not move
 * the watermark: their time is a Kafka timestamp or nothing, and letting it in would make the
 * following records late.
 *
 * <p>In a backtest the watermark is pure event time: bounded out-of-orderness over the records, and
 * a finished input ends with the final watermark. Same input, same output, at any parallelism,
 * however loaded the machine. A replay faster than real time (the demo) also marks an input idle
 * after {@code idleTimeout} without records, so the others carry event time.
 *
 * <p>Live, the watermark must never make a page wait, yet must not run ahead of records still to be
 * read (a backlog after a crash). Each partition's watermark ({@link Live}) is therefore driven by
 * the log itself, never by the job's clock: the latest {@link Heartbeats heartbeat} read from the
 * partition minus {@code liveLag}, or the newest record minus {@code maxOutOfOrderness}, whichever
 * is later. The job writes a heartbeat to every input partition every {@code heartbeatInterval} (50
 * ms), so on a current or quiet input the watermark trails the wall clock by about the interval
 * plus the lag, and a first alert after a quiet hour is passed on within that. A backlog is read in
 * log order with its heartbeats, so it is processed in event-time order with its timers interleaved
 * as they were the first time; timers due while the job was down fire at the first heartbeat
 * written after the restart.
 *
 * <p>A record whose own time is after its Kafka timestamp (a producer whose clock runs fast) is
 * taken to have happened when it was written: nothing is received before it is sent, and trusting
 * it would move the watermark ahead and fire timers early. A record arriving more than the lag
 * after its own time is late: handled at once, counted, never dropped.
 */
public final class IngestWatermarks {

    private IngestWatermarks() {}

    /** Accepted records' event time, for a decoded input; null for dead letters. */
    public interface EventTime<T> extends Serializable {
        Long of(T record);
    }

    public static WatermarkStrategy<Ingested> forAlerts(IngestPolicy policy, EventTimeMode mode) {
        return strategy(
                policy,
                mode,
                in -> in.value != null ? in.value.getReceivedAt().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    public static WatermarkStrategy<IngestedPoint> forPoints(
            IngestPolicy policy, EventTimeMode mode) {
        return strategy(
                policy,
                mode,
                in -> in.value != null ? in.value.getTimestamp().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    public static WatermarkStrategy<IngestedCommand> forCommands(
            IngestPolicy policy, EventTimeMode mode) {
        return strategy(
                policy,
                mode,
                in -> in.value != null ? in.value.getIssuedAt().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    public static WatermarkStrategy<IngestedChange> forChanges(
            IngestPolicy policy, EventTimeMode mode) {
        return strategy(
                policy,
                mode,
                in -> in.value != null ? in.value.getTime().toEpochMilli() : null,
                in -> in.deadLetter.getReceivedAt().toEpochMilli());
    }

    /** Backtest strategy for alerts. */
    public static WatermarkStrategy<Ingested> forAlerts(IngestPolicy policy) {
        return forAlerts(policy, EventTimeMode.BACKTEST);
    }

    public static WatermarkStrategy<IngestedPoint> forPoints(IngestPolicy policy) {
        return forPoints(policy, EventTimeMode.BACKTEST);
    }

    private static <T extends Decoded<?>> WatermarkStrategy<T> strategy(
            IngestPolicy policy, EventTimeMode mode, EventTime<T> accepted, EventTime<T> rejected) {
        long bound = policy.maxOutOfOrderness().toMillis();
        if (mode == EventTimeMode.LIVE) {
            long lag = policy.liveLag().toMillis();
            return WatermarkStrategy.<T>forGenerator(ctx -> new Live<>(bound, lag, accepted))
                    .withTimestampAssigner(
                            (in, kafkaTime) -> liveTime(in, accepted, rejected, kafkaTime));
        }
        Duration idle = policy.idleTimeout();
        WatermarkStrategy<T> s =
                WatermarkStrategy.<T>forGenerator(ctx -> new AcceptedOnly<>(bound, accepted))
                        .withTimestampAssigner((in, prev) -> time(in, accepted, rejected));
        // Idleness is measured on the wall clock: only a replay may use it, a backtest must not
        // depend on how fast the machine happens to be.
        return mode == EventTimeMode.BACKTEST || idle.isZero() ? s : s.withIdleness(idle);
    }

    private static <T> long time(T in, EventTime<T> accepted, EventTime<T> rejected) {
        Long t = accepted.of(in);
        return t != null ? t : rejected.of(in);
    }

    /** Live: a heartbeat's time is its own; a record's is at most when it was written. */
    static <T extends Decoded<?>> long liveTime(
            T in, EventTime<T> accepted, EventTime<T> rejected, long kafkaTime) {
        if (in.heartbeat() != 0) {
            return in.heartbeat();
        }
        long t = time(in, accepted, rejected);
        return kafkaTime > 0 ? Math.min(t, kafkaTime) : t;
    }

    /** Bounded out-of-orderness over the accepted records' timestamps only. */
    static final class AcceptedOnly<T> implements WatermarkGenerator<T> {
        private final long bound;
        private final EventTime<T> accepted;
        private long maxTimestamp;

        AcceptedOnly(long bound, EventTime<T> accepted) {
            this.bound = bound;
            this.accepted = accepted;
            this.maxTimestamp = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            if (accepted.of(event) != null) {
                maxTimestamp = Math.max(maxTimestamp, timestamp);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
        }
    }

    /**
     * The live watermark of one input partition: the latest heartbeat minus {@code lagMillis}, or
     * the newest accepted record minus {@code boundMillis}, whichever is later; never backwards. It
     * reads no clock: the same log gives the same watermarks.
     */
    static final class Live<T extends Decoded<?>> implements WatermarkGenerator<T> {
        private final long boundMillis;
        private final long lagMillis;
        private final EventTime<T> accepted;
        private long maxRecord = Long.MIN_VALUE;
        private long maxHeartbeat = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        Live(long boundMillis, long lagMillis, EventTime<T> accepted) {
            this.boundMillis = boundMillis;
            this.lagMillis = lagMillis;
            this.accepted = accepted;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            if (event.heartbeat() != 0) {
                // Punctuated: the time a heartbeat brings is passed on at once, not at the next
                // periodic emission.
                maxHeartbeat = Math.max(maxHeartbeat, timestamp);
                onPeriodicEmit(output);
            } else if (accepted.of(event) != null) {
                maxRecord = Math.max(maxRecord, timestamp);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long wm = watermark();
            if (wm > emitted) {
                emitted = wm;
                output.emitWatermark(new Watermark(emitted));
            }
        }

        long watermark() {
            long fromHeartbeats =
                    maxHeartbeat == Long.MIN_VALUE ? Long.MIN_VALUE : maxHeartbeat - lagMillis - 1;
            long fromRecords =
                    maxRecord == Long.MIN_VALUE ? Long.MIN_VALUE : maxRecord - boundMillis - 1;
            return Math.max(fromHeartbeats, fromRecords);
        }
    }
}
