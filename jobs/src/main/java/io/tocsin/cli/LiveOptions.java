package io.tocsin.cli;

import io.tocsin.config.Catalog;
import io.tocsin.config.CatalogReader;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that run against Kafka and ClickHouse ({@code clickHouse} is null
 * for {@code --clickhouse none}).
 */
record LiveOptions(
        KafkaEndpoint kafka,
        ClickHouseSettings clickHouse,
        Policy policy,
        Topology topology,
        int parallelism,
        String groupId,
        Catalog catalog) {

    static final String DEFAULT_CLICKHOUSE_URL =
            "jdbc:clickhouse://127.0.0.1:8123/default?compress=false";

    /** The options as given on the command line (a picocli mixin of the live commands). */
    static final class Flags {
        @Option(
                names = "--kafka",
                paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: $TOCSIN_KAFKA or 127.0.0.1:9092)")
        String kafka;

        @Option(
                names = "--clickhouse",
                paramLabel = "JDBC_URL",
                description = {
                    "ClickHouse JDBC URL (default: $TOCSIN_CLICKHOUSE_URL or",
                    DEFAULT_CLICKHOUSE_URL + ");",
                    "credentials from TOCSIN_CLICKHOUSE_USER and",
                    "TOCSIN_CLICKHOUSE_PASSWORD or TOCSIN_CLICKHOUSE_PASSWORD_FILE;",
                    "`none`: Kafka outputs only"
                })
        String clickHouse;

        @Option(
                names = "--policy",
                paramLabel = "FILE.yaml",
                converter = ExistingFile.class,
                description = "policy (default: the bundled policy/default.yaml)")
        Path policy;

        @Option(
                names = "--topology",
                paramLabel = "FILE.json",
                converter = ExistingFile.class,
                description = "service topology (default: none)")
        Path topology;

        @Option(
                names = "--catalog",
                paramLabel = "FILE.yaml|json",
                converter = ExistingFile.class,
                description = "service catalog (default: none; the demo: its bundled one)")
        Path catalog;

        @Option(
                names = "--parallelism",
                paramLabel = "N",
                defaultValue = "2",
                description = "operator parallelism (default ${DEFAULT-VALUE})")
        int parallelism;

        @Option(
                names = "--group-id",
                paramLabel = "ID",
                defaultValue = "tocsin",
                description = "Kafka consumer group (default ${DEFAULT-VALUE})")
        String groupId;
    }

    static LiveOptions from(Flags a, Map<String, String> env, String defaultTopologyResource) {
        String kafka =
                a.kafka != null ? a.kafka : env.getOrDefault("TOCSIN_KAFKA", "127.0.0.1:9092");
        String url =
                a.clickHouse != null
                        ? a.clickHouse
                        : env.getOrDefault("TOCSIN_CLICKHOUSE_URL", DEFAULT_CLICKHOUSE_URL);
        Policy policy =
                a.policy == null
                        ? PolicyLoader.loadResource(
                                defaultTopologyResource != null
                                                && defaultTopologyResource.startsWith("demo/")
                                        ? "demo/policy.yaml"
                                        : "policy/default.yaml")
                        : PolicyLoader.load(a.policy);
        Topology topology;
        if (a.topology != null) {
            topology = TopologyLoader.load(a.topology);
        } else if (defaultTopologyResource != null) {
            topology = TopologyLoader.loadResource(defaultTopologyResource);
        } else {
            topology = Topology.empty();
        }
        Catalog catalog;
        Set<String> schedules = policy.escalation().schedules().ids();
        if (a.catalog != null) {
            catalog = CatalogReader.load(a.catalog, schedules);
        } else if (defaultTopologyResource != null && defaultTopologyResource.startsWith("demo/")) {
            catalog = CatalogReader.loadResource("demo/catalog.yaml", schedules);
        } else {
            catalog = Catalog.empty();
        }
        return new LiveOptions(
                KafkaEndpoint.of(kafka, env),
                url.equals("none") ? null : ClickHouseSettings.fromEnvironment(url, env),
                policy,
                topology,
                a.parallelism,
                a.groupId,
                catalog);
    }
}
