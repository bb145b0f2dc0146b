package io.tocsin.correlate;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.ONE_MINUTE_LATER;
import static io.tocsin.testing.Alerts.TWO_MINUTES_LATER;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.CorrelationPolicy;
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

class IncidentCorrelatorTest {

    private static final CorrelationPolicy POLICY =
            new CorrelationPolicy(
                    "cluster",
                    "default",
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(5),
                    Duration.ofDays(1));

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, IncidentEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new IncidentCorrelator(POLICY)),
                        new Pipeline.ByDomain(POLICY),
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

    private List<IncidentEvent> events() {
        return harness.extractOutputValues();
    }

    @Test
    void alertsOfOneServiceShareAnIncidentThatResolvesAfterTheQuietPeriod() throws Exception {
        var latency = alert("HighLatency", "users-svc");
        var errors = alert("HighErrorRate", "users-svc").severity(Severity.SEV1);
        send(latency.firing(BEGINNING, BEGINNING).build());
        send(errors.firing(ONE_MINUTE_LATER, ONE_MINUTE_LATER).build());
        send(latency.resolved(TWO_MINUTES_LATER).build());
        send(errors.resolved(TWO_MINUTES_LATER.plusSeconds(30)).build());
        watermark(TWO_MINUTES_LATER.plusSeconds(30));

        assertThat(events())
                .extracting(IncidentEvent::getType)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.ALERT_ADDED,
                        IncidentEventType.SEVERITY_CHANGED,
                        IncidentEventType.ALERT_RESOLVED,
                        IncidentEventType.ALERT_RESOLVED);
        assertThat(events())
                .extracting(IncidentEvent::getIncidentId)
                .containsOnly(events().get(0).getIncidentId());
        assertThat(events()).extracting(IncidentEvent::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events().get(2).getSeverity()).isEqualTo(Severity.SEV1);
        assertThat(events().get(2).getPreviousSeverity()).isEqualTo(Severity.SEV3);
        assertThat(events().get(0).getFingerprint()).isEqualTo(latency.build().getFingerprint());
        assertThat(events().get(0).getRootCauseService()).isEqualTo("users-svc");

        // Quiet period: 5 minutes after the last resolve, at exactly that event time.
        Instant due = TWO_MINUTES_LATER.plusSeconds(30).plus(Duration.ofMinutes(5));
        watermark(due.minusMillis(1));
        assertThat(events()).hasSize(5);
        watermark(due);
        IncidentEvent resolved = events().get(5);
        assertThat(resolved.getType()).isEqualTo(IncidentEventType.RESOLVED);
        assertThat(resolved.getEventTime()).isEqualTo(due);
        assertThat(resolved.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(resolved.getActor()).isEqualTo("policy:correlation");
    }

    @Test
    void differentServicesOpenDifferentIncidents() throws Exception {
        send(alert("A", "users-pg").firing(BEGINNING, BEGINNING).build());
        send(alert("B", "search-es").firing(BEGINNING, BEGINNING.plusSeconds(1)).build());
        watermark(ONE_MINUTE_LATER);
        assertThat(events())
                .extracting(IncidentEvent::getType)
                .containsExactly(IncidentEventType.OPENED, IncidentEventType.OPENED);
        assertThat(events().get(0).getIncidentId()).isNotEqualTo(events().get(1).getIncidentId());
    }

    @Test
    void anAlertAfterTheIncidentResolvedOpensANewOneAndStateIsCleared() throws Exception {
        var a = alert("A", "users-pg");
        send(a.firing(BEGINNING, BEGINNING).build());
        send(a.resolved(ONE_MINUTE_LATER).build());
        watermark(ONE_MINUTE_LATER.plus(Duration.ofMinutes(5)));
        assertThat(events())
                .extracting(IncidentEvent::getType)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.ALERT_RESOLVED,
                        IncidentEventType.RESOLVED);
        // Only the max-age eviction timer of the resolved incident is left; no incident state.
        watermark(BEGINNING.plus(Duration.ofDays(1)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(
                a.firing(
                                Instant.parse("2026-11-03T03:00:00Z"),
                                Instant.parse("2026-11-03T03:00:00Z"))
                        .build());
        watermark(Instant.parse("2026-11-03T03:00:01Z"));
        IncidentEvent reopened = events().get(3);
        assertThat(reopened.getType()).isEqualTo(IncidentEventType.OPENED);
        assertThat(reopened.getIncidentId()).isNotEqualTo(events().get(0).getIncidentId());
    }

    @Test
    void domainsAreKeptApart() throws Exception {
        send(alert("A", "users-pg").label("cluster", "eu").firing(BEGINNING, BEGINNING).build());
        send(alert("A", "users-pg").label("cluster", "us").firing(BEGINNING, BEGINNING).build());
        watermark(ONE_MINUTE_LATER);
        assertThat(events())
                .extracting(IncidentEvent::getDomain)
                .containsExactlyInAnyOrder("eu", "us");
    }

    @Test
    void anIncidentOpenLongerThanMaxAgeIsClosedToBoundState() throws Exception {
        send(alert("A", "users-pg").firing(BEGINNING, BEGINNING).build());
        watermark(BEGINNING.plus(Duration.ofDays(1)));
        assertThat(events())
                .extracting(IncidentEvent::getType)
                .containsExactly(IncidentEventType.OPENED, IncidentEventType.RESOLVED);
        assertThat(events().get(1).getEvidence()).containsEntry("rule", "max-incident-age");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
