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
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.CollectionSources;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Telemetry anomalies through the whole job (MiniCluster, parallelism 2) under the suppression
 * rules, with every incident paged: four services, each with an hour and a half of trouble at the
 * same time. One is inside a maintenance window, one is silenced, one starts ten minutes before a
 * maintenance window ends and goes on after it, one has no rule. The muted ones raise no incident
 * and no page (their transitions flow on marked with the rule); the one that outlasts its window is
 * released when the window ends and paged as the anomaly it is, with the time it really began, not
 * as something that began at the window's end; the unmuted one pages as usual.
 */
class AnomalySuppressionITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int TROUBLE = 18;
    private static final int POINTS = ONSET + 300;
    private static final Instant ONSET_AT = Instant.ofEpochMilli(time(ONSET));
    private static final Instant WINDOW_END = ONSET_AT.plus(Duration.ofMinutes(10));

    private static String policy() {
        return String.join(
                "\n",
                "suppression:",
                "  maintenanceWindows:",
                "    - id: checkout-upgrade",
                "      matchers: ['service=\"checkout-api\"']",
                "      start: " + ONSET_AT.minus(Duration.ofHours(1)),
                "      end: " + ONSET_AT.plus(Duration.ofHours(4)),
                "    - id: orders-migration",
                "      matchers: ['service=\"orders-api\"']",
                "      start: " + ONSET_AT.minus(Duration.ofHours(2)),
                "      end: " + WINDOW_END,
                "  silences:",
                "    - id: payments-known",
                "      matchers: ['service=\"payments-api\"', 'alertname=\"AnomalousMetric\"']",
                "      startsAt: " + ONSET_AT.minus(Duration.ofHours(1)),
                "      endsAt: " + ONSET_AT.plus(Duration.ofHours(4)),
                "      createdBy: alice",
                "      comment: provider degradation, tracked elsewhere",
                "escalation:",
                "  pageAtOrAbove: SEV4",
                "  targets:",
                "    oncall: {person: pat, routingKey: R-TEST-0000000000000000000000000}",
                "  chains:",
                "    - id: everyone",
                "      services: [checkout-api, payments-api, orders-api, search-api]",
                "      tiers:",
                "        - {target: oncall, timeout: 30m}",
                "");
    }

    private static String json(String service, int i, double value) {
        return "{\"metric\":\"latency_ms\",\"labels\":{\"service\":\""
                + service
                + "\",\"cluster\":\""
                + service
                + "-prod\"},\"value\":"
                + value
                + ",\"timestamp\":"
                + time(i)
                + "}";
    }

    @Test
    void maintenanceWindowsAndSilencesKeepAnomaliesFromPagingAndAReleaseKeepsTheRealStart()
            throws Exception {
        List<String> services = List.of("checkout-api", "payments-api", "orders-api", "search-api");
        List<String> telemetry = new ArrayList<>();
        List<double[]> series = new ArrayList<>();
        for (int s = 0; s < services.size(); s++) {
            series.add(
                    values(
                            (i, n) -> noisy(n) + (i >= ONSET && i < ONSET + TROUBLE ? 8 : 0),
                            POINTS,
                            11 + s));
        }
        for (int i = 0; i < POINTS; i++) {
            for (int s = 0; s < services.size(); s++) {
                telemetry.add(json(services.get(s), i, series.get(s)[i]));
            }
        }
        Policy policy =
                PolicyLoader.parse(
                        "anomaly-suppression.yaml",
                        new ByteArrayInputStream(policy().getBytes(StandardCharsets.UTF_8)));

        // The alert path needs one alert; this one is from another cluster, long before.
        String unrelated =
                "{\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"backup\","
                        + "\"cluster\":\"ops\"},\"startsAt\":\"2026-11-02T10:00:00Z\","
                        + "\"status\":\"firing\"}";
        CollectingSinks sinks = new CollectingSinks();
        new TocsinJob(
                        new CollectionSources(List.of(unrelated)).withTelemetry(telemetry),
                        sinks,
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("anomaly-suppression-it", 2, Duration.ZERO))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        assertThat(transitions(sinks, "checkout-api"))
                .isNotEmpty()
                .allSatisfy(
                        a -> {
                            assertThat(a.getSuppressed()).isTrue();
                            assertThat(a.getSuppressedBy())
                                    .isEqualTo("maintenance:checkout-upgrade");
                        });
        assertThat(transitions(sinks, "payments-api"))
                .isNotEmpty()
                .allSatisfy(
                        a -> assertThat(a.getSuppressedBy()).isEqualTo("silence:payments-known"));
        assertThat(incidentsOf(sinks, "checkout-api")).as("maintenance").isEmpty();
        assertThat(incidentsOf(sinks, "payments-api")).as("silence").isEmpty();
        assertThat(sinks.pages())
                .as("pages")
                .noneSatisfy(p -> assertThat(p.toString()).contains("checkout-api"))
                .noneSatisfy(p -> assertThat(p.toString()).contains("payments-api"));

        // The anomaly that outlasts its window: muted while it is in force, then released.
        List<Alert> orders = transitions(sinks, "orders-api");
        Alert muted = orders.get(0);
        assertThat(muted.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(muted.getSuppressedBy()).isEqualTo("maintenance:orders-migration");
        Alert released =
                orders.stream()
                        .filter(a -> a.getStatus() == AlertStatus.FIRING && !a.getSuppressed())
                        .findFirst()
                        .orElseThrow();
        assertThat(released.getReceivedAt()).isEqualTo(WINDOW_END);
        assertThat(released.getStartsAt())
                .as("reported from when it began, inside the window")
                .isBetween(ONSET_AT, ONSET_AT.plus(Telemetry.STEP.multipliedBy(2)))
                .isBefore(WINDOW_END);
        List<IncidentEvent> ordersIncident = incidentsOf(sinks, "orders-api");
        assertThat(ordersIncident)
                .filteredOn(e -> e.getType() == IncidentEventType.OPENED)
                .singleElement()
                .satisfies(e -> assertThat(e.getEventTime()).isEqualTo(WINDOW_END));

        assertThat(incidentsOf(sinks, "search-api"))
                .as("no rule: pages as usual")
                .filteredOn(e -> e.getType() == IncidentEventType.OPENED)
                .hasSize(1);
        assertThat(sinks.pages())
                .anySatisfy(p -> assertThat(p.toString()).contains("search-api"))
                .anySatisfy(p -> assertThat(p.toString()).contains("orders-api"));
    }

    private static List<Alert> transitions(CollectingSinks sinks, String service) {
        return sinks.transitions().stream()
                .filter(a -> a.getSource().equals("anomaly") && service.equals(a.getService()))
                .sorted((a, b) -> a.getReceivedAt().compareTo(b.getReceivedAt()))
                .toList();
    }

    private static List<IncidentEvent> incidentsOf(CollectingSinks sinks, String service) {
        return sinks.events().stream().filter(e -> e.getServices().contains(service)).toList();
    }
}
