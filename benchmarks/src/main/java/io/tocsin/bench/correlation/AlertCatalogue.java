package io.tocsin.bench.correlation;

import java.util.List;
import java.util.Map;

/**
 * The alert rules a typical Prometheus setup has per kind of service, as the generator uses them:
 * what fires on a failing component (cause alerts), what fires on its callers (symptoms), what
 * fires alone and clears quickly (noise) and what tends to flap.
 */
final class AlertCatalogue {

    /**
     * One alert rule.
     *
     * @param name the alertname
     * @param severity the severity label
     * @param perInstance one alert per instance (pod, node) rather than one per service
     * @param summary summary annotation; {@code %s} is replaced by the service
     */
    record Rule(String name, String severity, boolean perInstance, String summary) {}

    private AlertCatalogue() {}

    /** Kinds of datastore and the share of datastores of each kind. */
    static final List<String> DATASTORE_KINDS =
            List.of("pg", "pg", "pg", "redis", "redis", "kafka", "es", "mysql", "mongo");

    private static final Map<String, List<Rule>> CAUSES =
            Map.of(
                    "edge",
                    List.of(
                            rule("EdgeHigh5xxRate", "critical", "%s is returning 5xx to clients"),
                            rule("EdgeHighLatency", "warning", "%s p99 latency is high"),
                            rule("EdgeUpstreamErrors", "warning", "%s sees upstream errors"),
                            perInstance("EdgeTLSHandshakeErrors", "warning", "%s TLS errors")),
                    "api",
                    List.of(
                            rule("HighErrorRate", "critical", "%s is returning 5xx"),
                            rule("HighRequestLatency", "warning", "%s p99 latency is high"),
                            perInstance("KubePodCrashLooping", "warning", "a %s pod crash-loops"),
                            rule("ErrorBudgetBurn", "critical", "%s burns its error budget")),
                    "service",
                    List.of(
                            rule("HighErrorRate", "critical", "%s is returning 5xx"),
                            rule("HighRequestLatency", "warning", "%s p99 latency is high"),
                            perInstance("KubePodCrashLooping", "warning", "a %s pod crash-loops"),
                            perInstance("ContainerOOMKilled", "warning", "a %s container was OOM"),
                            rule("ErrorBudgetBurn", "critical", "%s burns its error budget")),
                    "pg",
                    List.of(
                            rule("PostgresTooManyConnections", "critical", "%s connections"),
                            rule("PostgresConnectionsNearLimit", "warning", "%s near limit"),
                            perInstance("PostgresReplicationLag", "warning", "%s replica lags"),
                            perInstance("PostgresDown", "critical", "%s instance is down"),
                            rule("PostgresSlowQueries", "warning", "%s queries are slow")),
                    "mysql",
                    List.of(
                            rule("MySQLTooManyConnections", "critical", "%s connections"),
                            perInstance("MySQLReplicationLag", "warning", "%s replica lags"),
                            perInstance("MySQLDown", "critical", "%s instance is down"),
                            rule("MySQLSlowQueries", "warning", "%s queries are slow")),
                    "redis",
                    List.of(
                            perInstance("RedisMemoryHigh", "warning", "%s memory is high"),
                            perInstance("RedisDown", "critical", "%s instance is down"),
                            rule("RedisRejectedConnections", "critical", "%s rejects clients")),
                    "kafka",
                    List.of(
                            rule("KafkaUnderReplicatedPartitions", "warning", "%s replication"),
                            rule("KafkaOfflinePartitions", "critical", "%s offline partitions"),
                            rule("KafkaConsumerLagHigh", "warning", "%s consumers lag")),
                    "es",
                    List.of(
                            rule("ElasticsearchClusterYellow", "warning", "%s is yellow"),
                            rule("ElasticsearchClusterRed", "critical", "%s is red"),
                            perInstance("ElasticsearchDiskWatermarkHigh", "warning", "%s disk")),
                    "mongo",
                    List.of(
                            perInstance("MongodbReplicationLag", "warning", "%s replica lags"),
                            perInstance("MongodbDown", "critical", "%s instance is down"),
                            rule("MongodbTooManyConnections", "critical", "%s connections")));

    private static final Map<String, List<Rule>> SYMPTOMS =
            Map.of(
                    "edge",
                    List.of(
                            rule("EdgeHigh5xxRate", "critical", "%s is returning 5xx to clients"),
                            rule("EdgeHighLatency", "warning", "%s p99 latency is high"),
                            rule("EdgeUpstreamErrors", "warning", "%s sees upstream errors")),
                    "api",
                    List.of(
                            rule("HighErrorRate", "critical", "%s is returning 5xx"),
                            rule("HighRequestLatency", "warning", "%s p99 latency is high"),
                            rule("ErrorBudgetBurn", "critical", "%s burns its error budget")),
                    "service",
                    List.of(
                            rule("HighErrorRate", "critical", "%s is returning 5xx"),
                            rule("HighRequestLatency", "warning", "%s p99 latency is high"),
                            perInstance("KubePodCrashLooping", "warning", "a %s pod crash-loops"),
                            rule("ErrorBudgetBurn", "critical", "%s burns its error budget")));

    private static final List<Rule> NOISE =
            List.of(
                    perInstance("KubeJobFailed", "warning", "a %s job failed"),
                    rule("KubeHpaMaxedOut", "info", "%s HPA is at max replicas"),
                    rule("KubeDeploymentReplicasMismatch", "warning", "%s rollout in progress"),
                    perInstance("CPUThrottlingHigh", "info", "a %s container is throttled"),
                    rule("ClientCertificateExpiringSoon", "warning", "%s client cert expires"),
                    perInstance("KubePodNotReady", "warning", "a %s pod is not ready"));

    private static final Map<String, List<Rule>> FLAPPY =
            Map.of(
                    "redis", List.of(perInstance("RedisMemoryHigh", "warning", "%s memory")),
                    "kafka", List.of(rule("KafkaConsumerLagHigh", "warning", "%s consumers lag")),
                    "pg", List.of(perInstance("PostgresReplicationLag", "warning", "%s lags")),
                    "service", List.of(perInstance("CPUThrottlingHigh", "info", "a %s container")),
                    "api", List.of(rule("HighRequestLatency", "warning", "%s p99 latency")));

    /** What fires on a failing service of this kind (tier name, or datastore kind). */
    static List<Rule> causes(String kind) {
        return CAUSES.get(kind);
    }

    /** What fires on a caller affected by a failure below it (edge, api, service). */
    static List<Rule> symptoms(String kind) {
        return SYMPTOMS.getOrDefault(kind, CAUSES.get(kind));
    }

    static List<Rule> noise() {
        return NOISE;
    }

    /** Rules that flap on this kind, or an empty list. */
    static List<Rule> flappy(String kind) {
        return FLAPPY.getOrDefault(kind, List.of());
    }

    private static Rule rule(String name, String severity, String summary) {
        return new Rule(name, severity, false, summary);
    }

    private static Rule perInstance(String name, String severity, String summary) {
        return new Rule(name, severity, true, summary);
    }
}
