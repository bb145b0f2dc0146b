package io.tocsin.dedupe;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.ONE_MINUTE_LATER;
import static io.tocsin.testing.Alerts.TWO_MINUTES_LATER;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.config.DedupePolicy;
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
                                        new DedupePolicy(
                                                Duration.ofMinutes(5),
                                                TTL,
                                                4,
                                                Duration.ofMinutes(10),
                                                Duration.ofMinutes(5)))),
                        new Deduplication.ByFingerprint(),
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
    void stateIsEvictedAfterTheTtlOfEventTimeWithFewTimers() throws Exception {
        var a = alert("HighLatency", "checkout-api");
        for (int i = 0; i < 10; i++) {
            send(a.firing(BEGINNING, BEGINNING.plusSeconds(60L * i)).build());
        }
        watermark(BEGINNING.plusSeconds(540));
        assertThat(output()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).as("dedupe entry held").isEqualTo(1);
        assertThat(harness.numEventTimeTimers())
                .as("one due timer (the first resolve timeout), not one per re-send")
                .isEqualTo(1);

        send(a.resolved(BEGINNING.plusSeconds(600)).build());
        watermark(BEGINNING.plusSeconds(600));
        assertThat(output())
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);

        Instant expiry = BEGINNING.plusSeconds(600).plus(TTL);
        watermark(expiry.minusMillis(1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        watermark(expiry);
        assertThat(harness.numKeyedStateEntries()).as("evicted at lastSeen + TTL").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aFiringAlertThatIsNoLongerResentResolvesAfterTheResolveTimeout() throws Exception {
        var a = alert("HighLatency", "checkout-api");
        send(a.firing(BEGINNING, BEGINNING).build());
        send(a.firing(BEGINNING, ONE_MINUTE_LATER).build());
        Instant due = ONE_MINUTE_LATER.plus(Duration.ofMinutes(5));
        watermark(due.minusMillis(1));
        assertThat(output()).hasSize(1);
        watermark(due);
        assertThat(output()).hasSize(2);
        Alert resolved = output().get(1);
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.getReceivedAt()).isEqualTo(due);
        assertThat(resolved.getEndsAt()).isEqualTo(due);
        assertThat(resolved.getAnnotations())
                .containsEntry(TransitionTracker.RESOLVED_BY, "resolve-timeout");

        // A late real resolve for the same episode is a re-send now.
        send(a.resolved(due.plusSeconds(30)).build());
        watermark(due.plusSeconds(30));
        assertThat(output()).hasSize(2);
    }

    @Test
    void aFiringAlertWithAFutureEndsAtResolvesThenUnlessResent() throws Exception {
        Alert withEnd =
                Alert.newBuilder(
                                alert("HighLatency", "checkout-api")
                                        .firing(BEGINNING, BEGINNING)
                                        .build())
                        .setEndsAt(TWO_MINUTES_LATER)
                        .build();
        send(withEnd);
        watermark(TWO_MINUTES_LATER);
        assertThat(output())
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(output().get(1).getReceivedAt()).isEqualTo(TWO_MINUTES_LATER);
    }

    @Test
    void aFlappingAlertIsMarkedHeldBackAndReleasedAsOneChangeWhenStable() throws Exception {
        var a = alert("RedisMemoryHigh", "inventory-redis");
        // 7 state changes a minute apart: the 5th change (more than 4 in 10 minutes) flaps.
        for (int i = 0; i < 7; i++) {
            Instant t = BEGINNING.plusSeconds(60L * i);
            send(i % 2 == 0 ? a.firing(t, t).build() : a.resolved(t).build());
        }
        Instant lastChange = BEGINNING.plusSeconds(360);
        // While firing it is re-sent every minute (not changes: they only keep it firing).
        for (int m = 1; m <= 5; m++) {
            Instant t = lastChange.plusSeconds(60L * m);
            send(a.firing(lastChange, t).build());
        }
        watermark(lastChange);
        assertThat(output())
                .extracting(x -> x.getStatus() + (x.getFlapping() ? "/flapping" : ""))
                .containsExactly("FIRING", "RESOLVED", "FIRING", "RESOLVED", "FIRING/flapping");

        // Stable for flapStableFor (5 minutes) after the last change: one release, current state.
        Instant stable = lastChange.plus(Duration.ofMinutes(5));
        watermark(stable.minusMillis(1));
        assertThat(output()).hasSize(5);
        watermark(stable);
        assertThat(output()).hasSize(6);
        Alert released = output().get(5);
        assertThat(released.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(released.getFlapping()).isFalse();
        assertThat(released.getReceivedAt()).isEqualTo(stable);
    }

    @Test
    void stateBytesPerActiveFingerprintAreBounded() throws Exception {
        var serializer =
                org.apache.flink.api.common.typeinfo.TypeInformation.of(DedupeEntry.class)
                        .createSerializer(
                                new org.apache.flink.api.common.serialization
                                        .SerializerConfigImpl());
        DedupeEntry e = new DedupeEntry();
        TransitionTracker tracker =
                new TransitionTracker(
                        new DedupePolicy(
                                Duration.ofMinutes(5),
                                TTL,
                                4,
                                Duration.ofMinutes(10),
                                Duration.ofMinutes(5)));
        Alert typical =
                alert("HighErrorRate", "checkout-api")
                        .label("severity", "critical")
                        .label("namespace", "checkout")
                        .label("pod", "checkout-api-7f9c6d5b8-x2x7q")
                        .label("instance", "10.1.2.3:8080")
                        .label("job", "kubernetes-pods")
                        .firing(BEGINNING, BEGINNING)
                        .build();
        typical.getAnnotations()
                .put("summary", "checkout-api is returning 5xx for 4.2% of requests");
        typical.getAnnotations()
                .put("runbook_url", "https://runbooks.example.internal/alerts/HighErrorRate");
        tracker.onNotification(e, typical, BEGINNING.toEpochMilli());
        var out = new org.apache.flink.core.memory.DataOutputSerializer(1024);
        serializer.serialize(e, out);
        // Measured: the entry for a typical alert (8 labels, 2 annotations); see the closing note.
        System.out.println(
                "dedupe state bytes per active fingerprint (typical alert): " + out.length());
        assertThat(out.length()).isBetween(300, 1200);
    }

    @Test
    void lateRecordsAreHandledAtOnceNotDropped() throws Exception {
        watermark(TWO_MINUTES_LATER);
        var a = alert("HighLatency", "checkout-api");
        send(a.firing(BEGINNING, BEGINNING).build());
        assertThat(output()).hasSize(1);
    }
}
