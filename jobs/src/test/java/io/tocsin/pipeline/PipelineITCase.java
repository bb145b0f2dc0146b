package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.CollectionSources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole pipeline on a MiniCluster (parallelism 2) with collection ends. */
class PipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static String firing(String name, String service, String startsAt, String receivedAt) {
        return "{\"labels\":{\"alertname\":\""
                + name
                + "\",\"service\":\""
                + service
                + "\",\"cluster\":\"prod\"},\"startsAt\":\""
                + startsAt
                + "\",\"status\":\"firing\",\"receivedAt\":\""
                + receivedAt
                + "\"}";
    }

    private static String resolved(String name, String service, String startsAt, String endsAt) {
        return "{\"labels\":{\"alertname\":\""
                + name
                + "\",\"service\":\""
                + service
                + "\",\"cluster\":\"prod\"},\"startsAt\":\""
                + startsAt
                + "\",\"endsAt\":\""
                + endsAt
                + "\",\"status\":\"resolved\"}";
    }

    @Test
    void resendsCollapseIntoTransitionsAndGroupsIntoIncidentsAndBadLinesAreDeadLettered()
            throws Exception {
        String t0 = "2026-11-02T02:00:00Z";
        List<String> lines =
                List.of(
                        firing("PgConnections", "users-pg", t0, "2026-11-02T02:00:00Z"),
                        firing("PgConnections", "users-pg", t0, "2026-11-02T02:01:00Z"), // re-send
                        firing(
                                "PgConnections",
                                "users-pg",
                                t0,
                                "2026-11-02T02:01:00.300Z"), // HA copy
                        firing(
                                "PgReplicationLag",
                                "users-pg",
                                "2026-11-02T02:00:30Z",
                                "2026-11-02T02:00:30Z"),
                        "{not json",
                        firing(
                                "DiskFull",
                                "search-es",
                                "2026-11-02T02:03:00Z",
                                "2026-11-02T02:03:00Z"),
                        firing("PgConnections", "users-pg", t0, "2026-11-02T02:02:00Z"), // re-send
                        resolved("PgConnections", "users-pg", t0, "2026-11-02T02:04:00Z"),
                        resolved(
                                "PgReplicationLag",
                                "users-pg",
                                "2026-11-02T02:00:30Z",
                                "2026-11-02T02:04:30Z"),
                        resolved(
                                "PgReplicationLag",
                                "users-pg",
                                "2026-11-02T02:00:30Z",
                                "2026-11-02T02:04:30Z"),
                        "{\"labels\":{\"alertname\":\"X\"},\"startsAt\":\"2026-11-02T02:05:00Z\",\"status\":\"pending\"}");
        CollectingSinks sinks = new CollectingSinks();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new CollectionSources(lines),
                        sinks,
                        Policy.defaults(),
                        Topology.empty(),
                        new TocsinJob.Settings("pipeline-it", 2, Duration.ZERO))
                .execute(env);

        assertThat(sinks.deadLetters())
                .extracting(d -> d.getOffset() + ":" + d.getReasonCode())
                .containsExactlyInAnyOrder("5:MALFORMED_JSON", "11:UNKNOWN_STATUS");

        Map<String, Long> transitions =
                sinks.transitions().stream()
                        .collect(
                                Collectors.groupingBy(
                                        a -> a.getLabels().get("alertname") + "/" + a.getStatus(),
                                        Collectors.counting()));
        assertThat(transitions)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "PgConnections/" + AlertStatus.FIRING, 1L,
                                "PgConnections/" + AlertStatus.RESOLVED, 1L,
                                "PgReplicationLag/" + AlertStatus.FIRING, 1L,
                                "PgReplicationLag/" + AlertStatus.RESOLVED, 1L,
                                "DiskFull/" + AlertStatus.FIRING, 1L,
                                // never re-sent: resolved by the 5-minute resolve timeout
                                "DiskFull/" + AlertStatus.RESOLVED, 1L));
        assertThat(sinks.transitions())
                .filteredOn(
                        a ->
                                a.getLabels().get("alertname").equals("DiskFull")
                                        && a.getStatus() == AlertStatus.RESOLVED)
                .extracting(a -> a.getReceivedAt().toString())
                .containsExactly("2026-11-02T02:08:00Z");

        Map<String, List<IncidentEventType>> byIncident =
                sinks.events().stream()
                        .sorted((a, b) -> Long.compare(a.getSeq(), b.getSeq()))
                        .collect(
                                Collectors.groupingBy(
                                        e -> e.getServices().get(0),
                                        Collectors.mapping(
                                                IncidentEvent::getType, Collectors.toList())));
        assertThat(byIncident.get("users-pg"))
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.ALERT_ADDED,
                        IncidentEventType.ALERT_RESOLVED,
                        IncidentEventType.ALERT_RESOLVED,
                        IncidentEventType.RESOLVED);
        assertThat(byIncident.get("search-es"))
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.ALERT_RESOLVED,
                        IncidentEventType.RESOLVED);
    }
}
