package io.tocsin.cli;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Options shared by the commands that run against Kafka and ClickHouse ({@code clickHouse} is null
 * for {@code --clickhouse none}).
 */
record LiveOptions(
        String kafka,
        ClickHouseSettings clickHouse,
        Policy policy,
        Topology topology,
        int parallelism,
        String groupId) {

    static final Set<String> OPTIONS =
            Set.of("kafka", "clickhouse", "policy", "topology", "parallelism", "group-id");

    static final String HELP =
            """
              --kafka HOST:PORT        Kafka bootstrap servers (default: $TOCSIN_KAFKA or 127.0.0.1:9092)
              --clickhouse JDBC_URL    ClickHouse JDBC URL (default: $TOCSIN_CLICKHOUSE_URL or
                                       jdbc:clickhouse://127.0.0.1:8123/default?compress=false);
                                       credentials from TOCSIN_CLICKHOUSE_USER and
                                       TOCSIN_CLICKHOUSE_PASSWORD or TOCSIN_CLICKHOUSE_PASSWORD_FILE;
                                       `none`: Kafka outputs only
              --policy FILE.yaml       policy (default: the bundled policy/default.yaml)
              --topology FILE.json     service topology (default: none)
              --parallelism N          operator parallelism (default 2)
              --group-id ID            Kafka consumer group (default tocsin)
            """;

    static LiveOptions from(Args a, Map<String, String> env, String defaultTopologyResource) {
        String kafka = a.get("kafka", env.getOrDefault("TOCSIN_KAFKA", "127.0.0.1:9092"));
        String url =
                a.get(
                        "clickhouse",
                        env.getOrDefault(
                                "TOCSIN_CLICKHOUSE_URL",
                                "jdbc:clickhouse://127.0.0.1:8123/default?compress=false"));
        Path policyFile = a.optionalFile("policy");
        Path topologyFile = a.optionalFile("topology");
        Policy policy =
                policyFile == null
                        ? PolicyLoader.loadResource(
                                defaultTopologyResource != null
                                                && defaultTopologyResource.startsWith("demo/")
                                        ? "demo/policy.yaml"
                                        : "policy/default.yaml")
                        : PolicyLoader.load(policyFile);
        Topology topology;
        if (topologyFile != null) {
            topology = TopologyLoader.load(topologyFile);
        } else if (defaultTopologyResource != null) {
            topology = TopologyLoader.loadResource(defaultTopologyResource);
        } else {
            topology = Topology.empty();
        }
        return new LiveOptions(
                kafka,
                url.equals("none") ? null : ClickHouseSettings.fromEnvironment(url, env),
                policy,
                topology,
                a.intValue("parallelism", 2),
                a.get("group-id", "tocsin"));
    }
}
