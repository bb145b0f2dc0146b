package io.tocsin.anomaly;

import static io.tocsin.anomaly.Telemetry.ONSET;
import static io.tocsin.anomaly.Telemetry.noisy;
import static io.tocsin.anomaly.Telemetry.time;
import static io.tocsin.anomaly.Telemetry.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.CollectionSources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job (MiniCluster, parallelism 2) fed telemetry as JSON lines beside an unrelated alert:
 * a week of normal latency, an hour and a half of trouble on checkout-api, then normal again. The
 * anomaly must open an incident on checkout-api through the normal alert path and resolve it once
 * the series recovers; a malformed point is dead-lettered; analysts get the anomalous scores.
 */
class TelemetryIncidentITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int TROUBLE = 18;
    private static final int POINTS = ONSET + 300;

    private static String json(String service, int i, double value) {
        return "{\"metric\":\"latency_ms\",\"labels\":{\"service\":\""
                + service
                + "\",\"cluster\":\"prod\"},\"value\":"
                + value
                + ",\"timestamp\":"
                + time(i)
                + "}";
    }

    @Test
    void aTelemetryAnomalyOpensAnIncidentThatResolvesWhenTheSeriesRecovers() throws Exception {
        double[] troubled =
                values((i, n) -> noisy(n) + (i >= ONSET && i < ONSET + TROUBLE ? 8 : 0), POINTS, 3);
        double[] quiet = values((i, n) -> noisy(n), POINTS, 4);
        List<String> telemetry = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            telemetry.add(json("checkout-api", i, troubled[i]));
            telemetry.add(json("users-api", i, quiet[i]));
        }
        telemetry.add(100, "{\"metric\":\"latency_ms\",\"value\":\"fast\",\"timestamp\":0}");
        String unrelated =
                "{\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"search-es\","
                        + "\"cluster\":\"prod\"},\"startsAt\":\"2026-11-03T10:00:00Z\","
                        + "\"status\":\"firing\"}";

        CollectingSinks sinks = new CollectingSinks();
        new TocsinJob(
                        new CollectionSources(List.of(unrelated)).withTelemetry(telemetry),
                        sinks,
                        Policy.defaults(),
                        Topology.empty(),
                        new TocsinJob.Settings("telemetry-incident-it", 2, Duration.ZERO))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        assertThat(sinks.deadLetters())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getStage()).isEqualTo("telemetry");
                            assertThat(d.getReasonCode()).isEqualTo("BAD_VALUE");
                            assertThat(d.getOffset()).isEqualTo(101L);
                        });

        List<Alert> anomalyTransitions =
                sinks.transitions().stream().filter(a -> a.getSource().equals("anomaly")).toList();
        assertThat(anomalyTransitions)
                .extracting(Alert::getStatus)
                .containsExactlyInAnyOrder(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(anomalyTransitions)
                .allSatisfy(a -> assertThat(a.getService()).isEqualTo("checkout-api"));

        Instant onset = Instant.ofEpochMilli(time(ONSET));
        Instant recovered = Instant.ofEpochMilli(time(ONSET + TROUBLE));
        List<IncidentEvent> incident =
                sinks.events().stream()
                        .filter(e -> e.getServices().contains("checkout-api"))
                        .sorted(Comparator.comparingLong(IncidentEvent::getSeq))
                        .toList();
        assertThat(incident)
                .extracting(IncidentEvent::getIncidentId)
                .containsOnly(incident.get(0).getIncidentId());
        // The lifecycle; the escalate stage adds its own events between (an SLA breach upgrades an
        // unacknowledged SEV3 after an hour), checked below.
        assertThat(incident)
                .filteredOn(e -> e.getActor().equals("policy:correlation"))
                .extracting(IncidentEvent::getType)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.ALERT_RESOLVED,
                        IncidentEventType.RESOLVED);
        assertThat(incident)
                .filteredOn(e -> e.getType() == IncidentEventType.SEVERITY_CHANGED)
                .extracting(IncidentEvent::getActor)
                .containsExactly("policy:acknowledge-sla-breached");
        IncidentEvent opened = incident.get(0);
        // Opens within a few points of the onset (two of three points must be anomalous).
        assertThat(opened.getEventTime())
                .isBetween(onset, onset.plus(Telemetry.STEP.multipliedBy(4)));
        assertThat(opened.getAlertName()).isEqualTo("AnomalousMetric");
        assertThat(opened.getFingerprint()).isEqualTo(anomalyTransitions.get(0).getFingerprint());
        assertThat(incident.get(incident.size() - 1).getEventTime()).isAfter(recovered);

        assertThat(sinks.scores())
                .allSatisfy(
                        s -> assertThat(Math.max(s.level, s.score)).isGreaterThanOrEqualTo(0.3));
        assertThat(sinks.scores())
                .anySatisfy(
                        s -> {
                            assertThat(s.labels).containsEntry("service", "checkout-api");
                            assertThat(s.timestampMillis)
                                    .isBetween(onset.toEpochMilli(), recovered.toEpochMilli());
                            assertThat(s.level).isGreaterThanOrEqualTo(0.6);
                        });
    }
}
