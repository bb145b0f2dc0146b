package io.tocsin.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Execution environments for commands: the local MiniCluster unless submitted to a cluster. */
final class LocalEnvironments {

    private LocalEnvironments() {}

    /**
     * The cluster's environment when the jar was submitted with {@code flink run}, otherwise a
     * local MiniCluster with enough slots for {@code parallelism} and modest memory.
     */
    static StreamExecutionEnvironment create(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!isLocal(env)) {
            return env;
        }
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, parallelism));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(128));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        conf.set(RestOptions.BIND_PORT, "0");
        // Tocsin's and Flink's metrics for Prometheus (deploy/prometheus scrapes them).
        io.tocsin.metrics.PrometheusReporter.configure(
                conf, io.tocsin.metrics.PrometheusReporter.portsFromEnvironment());
        StreamExecutionEnvironment local = StreamExecutionEnvironment.createLocalEnvironment(conf);
        local.setParallelism(parallelism);
        return local;
    }

    private static boolean isLocal(StreamExecutionEnvironment env) {
        return env.getClass().getSimpleName().startsWith("Local");
    }
}
