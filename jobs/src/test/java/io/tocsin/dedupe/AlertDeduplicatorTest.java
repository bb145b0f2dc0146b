package io.tocsin.dedupe;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.ONE_MINUTE_LATER;
import static io.tocsin.testing.Alerts.TWO_MINUTES_LATER;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.config.DedupePolicy;
import io.tocsin.pipeline.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertDeduplicatorTest {

    private static final Duration TTL = Duration.ofHours(1);

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AlertDeduplicator(
                                        new DedupePolicy(Duration.ofMinutes(5), TTL))),
                        new Pipeline.ByFingerprint(),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(Alert a) throws Exception {
        harness.processElement(new StreamRecord<>(a, a.getReceivedAt().toEpochMilli()));
    }

    private void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    private List<Alert> output() {
        return harness.extractOutputValues();
    }

    @Test
    void resendsAreDroppedAndOnlyTransitionsPassAfterTheWatermark() throws Exception {
        var firing = alert("HighLatency", "checkout-api");
        send(firing.firing(BEGINNING, BEGINNING).build());
        send(firing.firing(BEGINNING, BEGINNING.plusSeconds(30)).build());
        send(firing.firing(BEGINNING, ONE_MINUTE_LATER).build());
        assertThat(output()).as("nothing before the watermark passes").isEmpty();

        watermark(ONE_MINUTE_LATER);
        assertThat(output()).hasSize(1);
        assertThat(output().get(0).getStatus()).isEqualTo(AlertStatus.FIRING);

        send(firing.resolved(TWO_MINUTES_LATER).build());
        send(firing.resolved(TWO_MINUTES_LATER.plusSeconds(60)).build());
        watermark(TWO_MINUTES_LATER.plusSeconds(60));
        assertThat(output())
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    @Test
    void outOfOrderDeliveryIsSortedByEventTimeBeforeDeciding() throws Exception {
        var a = alert("HighLatency", "checkout-api");
        // The resolve arrives before the firing it ends (two Alertmanagers, two partitions).
        send(a.resolved(TWO_MINUTES_LATER).build());
        send(a.firing(BEGINNING, BEGINNING).build());
        send(a.firing(BEGINNING, ONE_MINUTE_LATER).build());
        watermark(TWO_MINUTES_LATER);
        assertThat(output())
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    @Test
    void aNewEpisodeWithALaterStartsAtPassesEvenWithoutASeenResolve() throws Exception {
        var a = alert("HighLatency", "checkout-api");
        send(a.firing(BEGINNING, BEGINNING).build());
        send(a.firing(TWO_MINUTES_LATER, TWO_MINUTES_LATER).build());
        watermark(TWO_MINUTES_LATER);
        assertThat(output()).hasSize(2);
    }

    @Test
    void stateIsEvictedAfterTheTtlOfEventTimeWithOneTimerPerKey() throws Exception {
        var a = alert("HighLatency", "checkout-api");
        for (int i = 0; i < 10; i++) {
            send(a.firing(BEGINNING, BEGINNING.plusSeconds(60L * i)).build());
        }
        watermark(BEGINNING.plusSeconds(600));
        assertThat(output()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).as("dedupe entry held").isEqualTo(1);
        assertThat(harness.numEventTimeTimers())
                .as("one eviction timer, not one per re-send")
                .isEqualTo(1);

        // The first timer fires at BEGINNING + TTL but the last re-send moved the expiry on.
        watermark(BEGINNING.plus(TTL));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        watermark(BEGINNING.plusSeconds(540).plus(TTL));
        assertThat(harness.numKeyedStateEntries()).as("evicted").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void lateRecordsAreHandledAtOnceNotDropped() throws Exception {
        watermark(TWO_MINUTES_LATER);
        var a = alert("HighLatency", "checkout-api");
        send(a.firing(BEGINNING, BEGINNING).build());
        assertThat(output()).hasSize(1);
    }
}
