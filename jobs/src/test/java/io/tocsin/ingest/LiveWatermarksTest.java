package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.config.IngestPolicy;
import io.tocsin.testing.Alerts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/**
 * The live watermark of one partition, driven only by what the partition holds: heartbeats move it
 * to their time minus the lag, records to theirs minus the out-of-orderness bound.
 */
class LiveWatermarksTest {

    private static final long BOUND = 5_000;
    private static final long LAG = 50;
    private static final long T = Instant.parse("2026-11-02T03:00:00Z").toEpochMilli();

    private final IngestWatermarks.Live<Ingested> wm =
            new IngestWatermarks.Live<>(
                    BOUND,
                    LAG,
                    in -> in.value != null ? in.value.getReceivedAt().toEpochMilli() : null);
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput out =
            new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark w) {
                    emitted.add(w.getTimestamp());
                }

                @Override
                public void markIdle() {}

                @Override
                public void markActive() {}
            };

    private void heartbeat(long at) {
        wm.onEvent(Ingested.heartbeat(at), at, out);
    }

    private void record(long at) {
        Alert a =
                Alerts.alert("DatabaseDown", "orders-db")
                        .firing(Instant.ofEpochMilli(at), Instant.ofEpochMilli(at))
                        .build();
        wm.onEvent(Ingested.of(a), at, out);
    }

    private long last() {
        return emitted.isEmpty() ? Long.MIN_VALUE : emitted.get(emitted.size() - 1);
    }

    @Test
    void nothingReadNothingPassed() {
        wm.onPeriodicEmit(out);
        assertThat(emitted).isEmpty();
    }

    @Test
    void aHeartbeatPassesItsTimeOnAtOnce() {
        heartbeat(T);
        assertThat(emitted)
                .as("punctuated, no periodic emission needed")
                .containsExactly(T - LAG - 1);
        heartbeat(T + 50);
        assertThat(last()).isEqualTo(T + 50 - LAG - 1);
    }

    @Test
    void aBacklogWithoutHeartbeatsMovesInEventTimeWithTheBound() {
        record(T);
        wm.onPeriodicEmit(out);
        assertThat(last()).isEqualTo(T - BOUND - 1);
        record(T + 30_000);
        wm.onPeriodicEmit(out);
        assertThat(last()).isEqualTo(T + 30_000 - BOUND - 1);
        heartbeat(T + 90_000); // the first heartbeat written after the restart
        assertThat(last()).isEqualTo(T + 90_000 - LAG - 1);
    }

    @Test
    void neverGoesBackwards() {
        heartbeat(T);
        record(T - 3_600_000); // a very late record
        heartbeat(T - 10); // a heartbeat from a producer with a slower clock
        wm.onPeriodicEmit(out);
        assertThat(emitted).containsExactly(T - LAG - 1);
    }

    @Test
    void aRecordStampedAfterItWasWrittenCountsAsWrittenThen() {
        IngestWatermarks.EventTime<Ingested> time =
                in -> in.value != null ? in.value.getReceivedAt().toEpochMilli() : null;
        Ingested fromTheFuture =
                Ingested.of(
                        Alerts.alert("Skewed", "svc")
                                .firing(
                                        Instant.ofEpochMilli(T + 60_000),
                                        Instant.ofEpochMilli(T + 60_000))
                                .build());
        assertThat(IngestWatermarks.liveTime(fromTheFuture, time, in -> 0L, T)).isEqualTo(T);
        assertThat(IngestWatermarks.liveTime(fromTheFuture, time, in -> 0L, 0))
                .isEqualTo(T + 60_000);
        assertThat(IngestWatermarks.liveTime(Ingested.heartbeat(T + 5), time, in -> 0L, T + 5))
                .isEqualTo(T + 5);
    }

    @Test
    void thePolicyDefaultsKeepAPageUnderAFifthOfASecond() {
        IngestPolicy d = IngestPolicy.defaults();
        assertThat(d.liveLag().plus(d.heartbeatInterval()).toMillis()).isLessThanOrEqualTo(100);
    }
}
