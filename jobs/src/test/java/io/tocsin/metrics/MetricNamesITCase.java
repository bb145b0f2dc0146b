package io.tocsin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.CollectionSources;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the pipeline on a MiniCluster with a reporter and checks that every name in {@link
 * MetricNames} is registered by some operator (the ClickHouse sink's three are registered by that
 * sink, which collection sinks replace), and that the labelled counters carry their label.
 */
class MetricNamesITCase {

    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final String POLICY =
            """
            escalation:
              targets:
                primary: {person: alice, routingKey: RK-1}
                secondary: {person: bob, routingKey: RK-2}
              chains:
                - id: default
                  tiers:
                    - {target: primary, timeout: 5m}
                    - {target: secondary, timeout: 1h}
            """;

    @Test
    void everyDeclaredNameIsRegisteredByThePipeline() throws Exception {
        Policy policy =
                PolicyLoader.parse(
                        "policy.yaml",
                        new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
        List<String> alerts =
                List.of(
                        "{\"labels\":{\"alertname\":\"PgDown\",\"service\":\"users-pg\","
                                + "\"severity\":\"critical\"},\"startsAt\":\"2026-11-02T02:00:00Z\","
                                + "\"status\":\"firing\"}",
                        "{\"labels\":{\"alertname\":\"PgDown\",\"service\":\"users-pg\","
                                + "\"severity\":\"critical\"},\"startsAt\":\"2026-11-02T02:00:00Z\","
                                + "\"status\":\"firing\",\"receivedAt\":\"2026-11-02T02:01:00Z\"}",
                        "{not json");
        List<String> telemetry =
                List.of(
                        "{\"metric\":\"pool_used\",\"labels\":{\"service\":\"users-pg\"},"
                                + "\"value\":0.4,\"timestamp\":\"2026-11-02T02:00:00Z\"}");
        CollectingSinks sinks = new CollectingSinks();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new CollectionSources(alerts).withTelemetry(telemetry),
                        sinks,
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("metric-names-it", 2, Duration.ZERO))
                .execute(env);

        // Identifier -> metric, over every group (this MiniCluster runs this one job).
        List<Map.Entry<String, Metric>> metrics = new java.util.ArrayList<>();
        REPORTER.getMetricsByGroup()
                .forEach(
                        (group, byName) ->
                                byName.forEach(
                                        (name, metric) ->
                                                metrics.add(
                                                        Map.entry(
                                                                group.getMetricIdentifier(name),
                                                                metric))));
        List<String> ids = metrics.stream().map(Map.Entry::getKey).toList();
        List<String> expected =
                MetricNamesTest.declared().stream()
                        .filter(n -> !n.startsWith("tocsin_clickhouse_"))
                        .collect(Collectors.toList());
        for (String name : expected) {
            assertThat(ids).as("a metric named %s", name).anyMatch(id -> id.endsWith("." + name));
        }
        assertThat(sum(metrics, ".reason.MALFORMED_JSON." + MetricNames.DEAD_LETTERS)).isEqualTo(1);
        assertThat(sum(metrics, "." + MetricNames.INCIDENTS_OPENED)).isEqualTo(1);
        assertThat(sum(metrics, "." + MetricNames.DUPLICATES_DROPPED)).isEqualTo(1);
        List<String> triggers =
                ids.stream()
                        .filter(
                                id ->
                                        id.contains(".trigger.")
                                                && id.endsWith(MetricNames.ESCALATIONS))
                        .toList();
        assertThat(triggers).as("escalations by trigger").isNotEmpty();
        assertThat(ids)
                .anyMatch(
                        id ->
                                id.contains(".trigger.")
                                        && id.endsWith(MetricNames.PAGES_BY_TRIGGER));
    }

    private static long sum(List<Map.Entry<String, Metric>> metrics, String suffix) {
        return metrics.stream()
                .filter(e -> e.getKey().endsWith(suffix) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }
}
