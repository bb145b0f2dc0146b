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
        return create(parallelism, new Configuration(), 0);
    }

    /**
     * As {@link #create(int)}, with {@code extra} on top of the local defaults (and, on a cluster,
     * on top of the cluster's configuration), and the local REST endpoint on {@code restPort} (0:
     * any free port).
     */
    static StreamExecutionEnvironment create(int parallelism, Configuration extra, int restPort) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!isLocal(env)) {
            env.configure(extra);
            return env;
        }
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, parallelism));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(128));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
        // Loopback only: the local job's REST API (savepoints, cancel) is not for the network.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.addAll(extra);
        // Tocsin's and Flink's metrics for Prometheus (deploy/prometheus scrapes them).
        io.tocsin.metrics.PrometheusReporter.configure(
                conf, io.tocsin.metrics.PrometheusReporter.portsFromEnvironment());
        StreamExecutionEnvironment local = StreamExecutionEnvironment.createLocalEnvironment(conf);
        local.setParallelism(parallelism);
        return local;
    }

    /** False when the jar was submitted to a cluster with {@code flink run}. */
    static boolean runsLocally() {
        return isLocal(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    private static boolean isLocal(StreamExecutionEnvironment env) {
        return env.getClass().getSimpleName().startsWith("Local");
    }
}
