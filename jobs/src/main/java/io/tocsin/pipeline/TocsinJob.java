package io.tocsin.pipeline;

import io.tocsin.config.Catalog;
import io.tocsin.config.Policy;
import io.tocsin.config.Topology;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Tocsin job: gets its sources, sinks, policy and topology through the constructor and runs the
 * {@link Pipeline} on the given environment (a local MiniCluster or a cluster's).
 */
public final class TocsinJob {

    /**
     * How the job runs.
     *
     * @param name job name shown in Flink
     * @param parallelism default operator parallelism
     * @param checkpointInterval checkpoint interval; Kafka transactions commit on checkpoints, so
     *     this is also the delay before paging systems see an event
     */
    public record Settings(String name, int parallelism, Duration checkpointInterval) {}

    /** Key groups of every keyed stage; never change it for a deployment with state. */
    public static final int MAX_PARALLELISM = 128;

    static final long LIVE_BUFFER_TIMEOUT_MILLIS = 5;

    private final Sources sources;
    private final Sinks sinks;
    private final Policy policy;
    private final Topology topology;
    private final Settings settings;
    private final Catalog catalog;

    public TocsinJob(
            Sources sources, Sinks sinks, Policy policy, Topology topology, Settings settings) {
        this(sources, sinks, policy, topology, Catalog.empty(), settings);
    }

    /** A job whose pages are routed and enriched by the service {@code catalog} too. */
    public TocsinJob(
            Sources sources,
            Sinks sinks,
            Policy policy,
            Topology topology,
            Catalog catalog,
            Settings settings) {
        this.catalog = catalog;
        this.sources = sources;
        this.sinks = sinks;
        this.policy = policy;
        this.topology = topology;
        this.settings = settings;
    }

    /** Builds the job on {@code env} without running it. */
    public void build(StreamExecutionEnvironment env) {
        env.setParallelism(settings.parallelism());
        // Fixed, so a savepoint or checkpoint restores at another parallelism (keyed state is
        // split into this many key groups).
        env.setMaxParallelism(MAX_PARALLELISM);
        if (sources.live()) {
            // A page waits for the watermark (IngestWatermarks): do not let it or the records sit
            // in network buffers between the stages (Flink's default is 100 ms).
            env.setBufferTimeout(LIVE_BUFFER_TIMEOUT_MILLIS);
        }
        if (settings.checkpointInterval() != null && !settings.checkpointInterval().isZero()) {
            env.enableCheckpointing(
                    settings.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
            // A failing sink (e.g. ClickHouse down) or a lost TaskManager restarts the job from
            // the last checkpoint, backing off up to 15 s, without ever giving up: nothing is lost
            // and it catches up when the dependency returns. The cap is short because pages wait
            // for the restart: with a minute, attempts that fail while a replacement TaskManager
            // starts pushed the recovery a minute past its registration.
            Configuration restart = new Configuration();
            restart.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    Duration.ofSeconds(15));
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                    Integer.MAX_VALUE);
            env.configure(restart);
        }
        new Pipeline(sources, sinks, policy, topology, catalog).build(env);
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(settings.name());
    }
}
