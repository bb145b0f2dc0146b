package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.LabelMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Silence states as Alertmanager reports them, and the store's reading of the control topic. */
class StoredSilenceTest {

    private static final Instant T0 = Instant.parse("2026-11-02T02:00:00Z");

    @Test
    void statesFollowStartEndAndEarlyExpiry() {
        StoredSilence s =
                new StoredSilence(
                        "s1",
                        List.of(LabelMatcher.parse("alertname=\"X\"")),
                        T0.plusSeconds(60),
                        T0.plusSeconds(3600),
                        "alice",
                        "c",
                        T0,
                        null);
        assertThat(s.state(T0)).isEqualTo("pending");
        assertThat(s.state(T0.plusSeconds(60))).isEqualTo("active");
        assertThat(s.state(T0.plusSeconds(3600))).isEqualTo("expired");
        // Expiring a pending silence: both ends are the expiry time, as in Alertmanager.
        StoredSilence early = s.expire(T0.plusSeconds(10));
        assertThat(early.state(T0.plusSeconds(10))).isEqualTo("expired");
        assertThat(early.effectiveStart()).isEqualTo(T0.plusSeconds(10));
        assertThat(early.effectiveEnd()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void theStoreFoldsUpsertsAndDeletesAndSkipsOtherControlMessages() {
        SilenceStore store = new SilenceStore(Duration.ofHours(120), 10);
        store.apply(
                0,
                0,
                "{\"op\":\"upsert\",\"at\":\"2026-11-02T02:00:00Z\",\"silence\":{\"id\":\"s1\","
                        + "\"matchers\":[\"alertname=\\\"X\\\"\",\"service=~\\\"db.*\\\"\"],"
                        + "\"startsAt\":\"2026-11-02T02:00:00Z\",\"endsAt\":\"2026-11-02T03:00:00Z\","
                        + "\"createdBy\":\"alice\",\"comment\":\"migration\"}}",
                T0);
        store.apply(
                0, 1, "{\"op\":\"topology\",\"at\":\"2026-11-02T02:00:00Z\",\"topology\":{}}", T0);
        store.apply(0, 2, "not json at all", T0);
        assertThat(store.size()).isEqualTo(1);
        StoredSilence s = store.get("s1");
        assertThat(s.createdBy()).isEqualTo("alice");
        assertThat(s.comment()).isEqualTo("migration");
        assertThat(s.matchers())
                .extracting(LabelMatcher::op)
                .containsExactly(LabelMatcher.Op.EQ, LabelMatcher.Op.RE);
        assertThat(store.count("active", T0.plusSeconds(1))).isEqualTo(1);
        assertThat(store.whenApplied(0, 2)).isDone();
        assertThat(store.whenApplied(0, 3)).isNotDone();

        store.apply(
                0,
                3,
                "{\"op\":\"delete\",\"at\":\"2026-11-02T02:30:00Z\",\"kind\":\"silence\",\"id\":\"s1\"}",
                T0);
        assertThat(store.get("s1").state(T0.plusSeconds(1801))).isEqualTo("expired");
        assertThat(store.get("s1").updatedAt()).isEqualTo(T0.plusSeconds(1800));
        // Forgotten once the retention after its end has passed (any later record evicts).
        store.apply(
                0,
                4,
                "{\"op\":\"delete\",\"at\":\"2026-11-08T03:00:00Z\",\"kind\":\"silence\",\"id\":\"none\"}",
                T0);
        assertThat(store.get("s1")).isNull();
    }
}
