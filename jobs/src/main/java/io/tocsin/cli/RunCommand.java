package io.tocsin.cli;

import io.tocsin.config.Durations;
import io.tocsin.config.Topics;
import io.tocsin.pipeline.DurableState;
import io.tocsin.pipeline.KafkaSources;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.RetainedCheckpoints;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tocsin run}: the live job, Kafka in, Kafka and ClickHouse out, with its state durable: it
 * resumes from the newest retained checkpoint on every start, so a crash (even SIGKILL) loses no
 * open incident, dedupe entry or pending escalation.
 */
@Command(
        name = "run",
        header = "run the live job against Kafka and ClickHouse",
        sortOptions = false,
        description = {
            "Runs the live job: reads the alerts, telemetry, commands, changes and control topics,",
            "writes the incident-events, pages, status-updates and dead-letters topics and the",
            "ClickHouse tables (migrating them first). Event time is driven by heartbeats the job",
            "writes to its inputs, so a page leaves within a fraction of a second and",
            "escalation timers fire on time with no traffic. State is checkpointed to durable",
            "storage and every start resumes from the newest retained checkpoint.",
            "Runs on a local MiniCluster, or on a cluster when submitted with flink run.",
            "Locally its metrics are on Flink's Prometheus reporter, at /metrics on the first",
            "free port of 9249-9259 (TOCSIN_METRICS_PORT=PORT or RANGE, or off).",
            ""
        })
final class RunCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec CommandSpec spec;

    @Mixin LiveOptions.Flags live;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "URI",
            description = {
                "checkpoints (any Flink file system: file://, s3://,",
                "hdfs://; default .local/checkpoints/GROUP_ID)"
            })
    String checkpointDir;

    @Option(
            names = "--savepoint-dir",
            paramLabel = "URI",
            description = "default target of tocsin savepoint (default .local/savepoints/GROUP_ID)")
    String savepointDir;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "D",
            defaultValue = "5s",
            description = {
                "checkpoint interval, e.g. 5s (default ${DEFAULT-VALUE}): at most",
                "this much is replayed after a crash"
            })
    String checkpointInterval;

    @Option(
            names = "--retained",
            paramLabel = "N",
            defaultValue = "3",
            description = "checkpoints kept (default ${DEFAULT-VALUE})")
    int retainedCheckpoints;

    @Option(
            names = "--state-backend",
            paramLabel = "B",
            defaultValue = DurableState.ROCKSDB,
            description = "rocksdb (incremental checkpoints, default) or hashmap")
    String stateBackend;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = {
                "start from this savepoint or checkpoint (an upgrade,",
                "another parallelism) instead of the newest checkpoint"
            })
    String fromSavepoint;

    @Option(
            names = "--allow-non-restored-state",
            description = {
                "start even if the snapshot has state of an",
                "operator this version no longer has"
            })
    boolean allowNonRestoredState;

    @Option(names = "--fresh", description = "start from empty state (checkpoints stay on disk)")
    boolean fresh;

    @Option(
            names = "--delivery",
            paramLabel = "MODE",
            defaultValue = "at-least-once",
            description = {
                "at-least-once (default: sent at once, replays keep",
                "their keys) or exactly-once (Kafka transactions per",
                "checkpoint: consumers read committed, checkpoint latency)"
            })
    String delivery;

    @Option(
            names = "--topic-prefix",
            paramLabel = "P",
            defaultValue = "",
            description = "read and write the topics P+name (default: none)")
    String topicPrefix;

    @Option(
            names = "--clickhouse-cluster",
            description = {
                "ClickHouse is a replicated cluster: apply the cluster",
                "DDL (sql/cluster/schema.sql, ON CLUSTER) instead of",
                "the single-server migrations"
            })
    boolean clickHouseCluster;

    @Option(
            names = "--replay",
            description = {
                "the inputs hold recorded alerts replayed faster than",
                "they happened (event time from the records, no",
                "heartbeats; idle inputs are marked idle), as tocsin demo"
            })
    boolean replay;

    @Option(
            names = "--rest-port",
            paramLabel = "N",
            defaultValue = "0",
            description = {
                "the local Flink REST endpoint (tocsin savepoint",
                "uses it; default: a free port)"
            })
    int restPort;

    private final PrintStream out;

    RunCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        LiveOptions o = LiveOptions.from(live, System.getenv(), null);
        Duration interval = Durations.parse(checkpointInterval);
        String prefix = topicPrefix;
        LiveSinks.Delivery delivery = delivery(this.delivery);
        DurableState state = durableState(o.groupId(), interval);

        // On a Flink cluster (flink run) the cluster's configuration decides where state lives
        // and restores are given with flink run -s, unless --checkpoint-dir is set here.
        boolean local = LocalEnvironments.runsLocally();
        boolean manageState = local || checkpointDir != null;
        String restore = fromSavepoint;
        RetainedCheckpoints retained = new RetainedCheckpoints(state.checkpointDir());
        if (restore != null) {
            out.println("run: starting from " + restore);
        } else if (fresh || !manageState) {
            out.println("run: starting from empty state" + (manageState ? " (--fresh)" : ""));
        } else {
            Optional<RetainedCheckpoints.Checkpoint> latest = retained.latest();
            if (latest.isPresent()) {
                restore = latest.get().path();
                out.println("run: resuming from checkpoint " + restore);
            } else {
                out.println("run: no checkpoint under " + state.checkpointDir() + ", empty state");
            }
        }
        state = state.restoringFrom(restore);

        if (o.clickHouse() != null && clickHouseCluster) {
            out.println("run: applying the cluster DDL to ClickHouse " + o.clickHouse());
            new ClickHouseMigrator(o.clickHouse()).applyClusterSchema();
        } else if (o.clickHouse() != null) {
            out.println("run: migrating ClickHouse " + o.clickHouse());
            new ClickHouseMigrator(o.clickHouse()).migrate();
        }
        KafkaSources sources =
                new KafkaSources(o.kafka(), Topics.ALERTS.in(prefix), o.groupId(), false)
                        .withTelemetry(Topics.TELEMETRY.in(prefix))
                        .withCommands(Topics.COMMANDS.in(prefix))
                        .withChanges(Topics.CHANGES.in(prefix))
                        .withControl(Topics.CONTROL.in(prefix));
        if (replay) {
            sources.replaying();
        }
        TocsinJob job =
                new TocsinJob(
                        sources,
                        new LiveSinks(
                                        o.kafka(),
                                        "tocsin-" + o.groupId(),
                                        o.clickHouse(),
                                        o.policy().correlation().domainLabel())
                                .withDelivery(delivery)
                                .withTopicPrefix(prefix),
                        o.policy(),
                        o.topology(),
                        o.catalog(),
                        new TocsinJob.Settings("tocsin", o.parallelism(), interval));
        int restPort = this.restPort;
        if (restPort == 0 && local) {
            restPort = freePort();
        }
        StreamExecutionEnvironment env =
                LocalEnvironments.create(
                        o.parallelism(),
                        manageState ? state.toConfiguration() : restoreOnly(state),
                        restPort);
        job.build(env);
        JobClient client = env.executeAsync("tocsin");
        String jobId = client.getJobID().toString();
        if (local) {
            RunFile runFile =
                    new RunFile(
                            "http://127.0.0.1:" + restPort,
                            jobId,
                            o.groupId(),
                            ProcessHandle.current().pid(),
                            state.savepointDir().toString());
            Path written = runFile.write();
            out.printf(
                    "run: job %s running (REST %s, delivery %s, checkpoints %s every %s; %s)%n",
                    jobId,
                    runFile.rest(),
                    delivery.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    state.checkpointDir(),
                    Durations.format(interval),
                    written);
        } else {
            // On a cluster main() runs in the client or, for a REST submission, in the
            // JobManager, which waits for it to return: the job runs on without it.
            out.printf("run: job %s submitted%n", jobId);
            return 0;
        }
        if (manageState) {
            pruneOnceCheckpointed(retained, jobId);
        }
        client.getJobExecutionResult().get();
        return 0;
    }

    private static org.apache.flink.configuration.Configuration restoreOnly(DurableState state) {
        org.apache.flink.configuration.Configuration c =
                new org.apache.flink.configuration.Configuration();
        if (state.restoreFrom() != null) {
            c.set(
                    org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH,
                    state.restoreFrom());
            c.set(
                    org.apache.flink.configuration.StateRecoveryOptions
                            .SAVEPOINT_IGNORE_UNCLAIMED_STATE,
                    state.allowNonRestoredState());
        }
        return c;
    }

    private LiveSinks.Delivery delivery(String text) {
        return switch (text) {
            case "at-least-once" -> LiveSinks.Delivery.AT_LEAST_ONCE;
            case "exactly-once" -> LiveSinks.Delivery.EXACTLY_ONCE;
            default ->
                    throw new ParameterException(
                            spec.commandLine(),
                            "--delivery must be at-least-once or exactly-once, got '" + text + "'");
        };
    }

    private DurableState durableState(String groupId, Duration interval) {
        Path local = LocalDirs.root().resolve(".local");
        URI checkpoints = uri(checkpointDir, local.resolve("checkpoints").resolve(groupId));
        URI savepoints = uri(savepointDir, local.resolve("savepoints").resolve(groupId));
        try {
            return new DurableState(
                    checkpoints,
                    savepoints,
                    interval,
                    retainedCheckpoints,
                    stateBackend,
                    null,
                    allowNonRestoredState);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static URI uri(String given, Path fallback) {
        if (given == null) {
            return fallback.toAbsolutePath().toUri();
        }
        URI u = URI.create(given);
        return u.getScheme() == null ? Path.of(given).toAbsolutePath().toUri() : u;
    }

    /**
     * Once this run has completed a checkpoint of its own, the directories of earlier runs are no
     * longer needed (see {@link RetainedCheckpoints#deleteRunsOlderThan}); a daemon thread waits
     * for it and deletes them, so the checkpoint directory does not grow with restarts.
     */
    private static void pruneOnceCheckpointed(RetainedCheckpoints retained, String jobId) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    Optional<RetainedCheckpoints.Checkpoint> own =
                                            retained.list().stream()
                                                    .filter(c -> c.jobDir().endsWith("/" + jobId))
                                                    .findAny();
                                    if (own.isPresent()) {
                                        for (String d : retained.deleteRunsOlderThan(own.get())) {
                                            LOG.info(
                                                    "deleted the checkpoints of an earlier run: {}",
                                                    d);
                                        }
                                        return;
                                    }
                                    Thread.sleep(1000);
                                }
                            } catch (IOException e) {
                                LOG.warn("could not prune earlier runs' checkpoints", e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "checkpoint-pruner");
        t.setDaemon(true);
        t.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
