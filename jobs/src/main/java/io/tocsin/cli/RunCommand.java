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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tocsin run}: the live job, Kafka in, Kafka and ClickHouse out, with its state durable: it
 * resumes from the newest retained checkpoint on every start, so a crash (even SIGKILL) loses no
 * open incident, dedupe entry or pending escalation.
 */
final class RunCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    static final String USAGE =
            "Usage: tocsin run [OPTIONS]\n\n"
                    + "Runs the live job: reads the alerts, telemetry, commands and control topics,\n"
                    + "writes the incident-events, pages and dead-letters topics and the ClickHouse\n"
                    + "tables (migrating them first). Event time is driven by heartbeats the job\n"
                    + "writes to its inputs, so a page leaves within a fraction of a second and\n"
                    + "escalation timers fire on time with no traffic. State is checkpointed to durable\n"
                    + "storage and every start resumes from the newest retained checkpoint.\n"
                    + "Runs on a local MiniCluster, or on a cluster when submitted with flink run.\n"
                    + "Locally its metrics are on Flink's Prometheus reporter, at /metrics on the first\n"
                    + "free port of 9249-9259 (TOCSIN_METRICS_PORT=PORT or RANGE, or off).\n\n"
                    + LiveOptions.HELP
                    + "  --checkpoint-dir URI     checkpoints (any Flink file system: file://, s3://,\n"
                    + "                           hdfs://; default .local/checkpoints/GROUP_ID)\n"
                    + "  --savepoint-dir URI      default target of tocsin savepoint (default\n"
                    + "                           .local/savepoints/GROUP_ID)\n"
                    + "  --checkpoint-interval D  checkpoint interval, e.g. 5s (default 5s): at most\n"
                    + "                           this much is replayed after a crash\n"
                    + "  --retained N             checkpoints kept (default 3)\n"
                    + "  --state-backend B        rocksdb (incremental checkpoints, default) or hashmap\n"
                    + "  --from-savepoint PATH    start from this savepoint or checkpoint (an upgrade,\n"
                    + "                           another parallelism) instead of the newest checkpoint\n"
                    + "  --allow-non-restored-state  start even if the snapshot has state of an\n"
                    + "                           operator this version no longer has\n"
                    + "  --fresh                  start from empty state (checkpoints stay on disk)\n"
                    + "  --delivery MODE          at-least-once (default: sent at once, replays keep\n"
                    + "                           their keys) or exactly-once (Kafka transactions per\n"
                    + "                           checkpoint: consumers read committed, checkpoint latency)\n"
                    + "  --topic-prefix P         read and write the topics P+name (default: none)\n"
                    + "  --clickhouse-cluster     ClickHouse is a replicated cluster: apply the cluster\n"
                    + "                           DDL (sql/cluster/schema.sql, ON CLUSTER) instead of\n"
                    + "                           the single-server migrations\n"
                    + "  --replay                 the inputs hold recorded alerts replayed faster than\n"
                    + "                           they happened (event time from the records, no\n"
                    + "                           heartbeats; idle inputs are marked idle), as tocsin demo\n"
                    + "  --rest-port N            the local Flink REST endpoint (tocsin savepoint\n"
                    + "                           uses it; default: a free port)\n";

    private RunCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Set<String> options = new HashSet<>(LiveOptions.OPTIONS);
        options.addAll(
                Set.of(
                        "checkpoint-interval",
                        "checkpoint-dir",
                        "savepoint-dir",
                        "retained",
                        "state-backend",
                        "from-savepoint",
                        "delivery",
                        "topic-prefix",
                        "rest-port"));
        Args a =
                Args.parse(
                        "run",
                        argv,
                        options,
                        Set.of(
                                "fresh",
                                "allow-non-restored-state",
                                "replay",
                                "clickhouse-cluster"));
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        LiveOptions o = LiveOptions.from(a, System.getenv(), null);
        Duration interval = Durations.parse(a.get("checkpoint-interval", "5s"));
        String prefix = a.get("topic-prefix", "");
        LiveSinks.Delivery delivery = delivery(a.get("delivery", "at-least-once"));
        DurableState state = durableState(a, o.groupId(), interval);

        // On a Flink cluster (flink run) the cluster's configuration decides where state lives
        // and restores are given with flink run -s, unless --checkpoint-dir is set here.
        boolean local = LocalEnvironments.runsLocally();
        boolean manageState = local || a.get("checkpoint-dir", null) != null;
        String restore = a.get("from-savepoint", null);
        RetainedCheckpoints retained = new RetainedCheckpoints(state.checkpointDir());
        if (restore != null) {
            out.println("run: starting from " + restore);
        } else if (a.flag("fresh") || !manageState) {
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

        if (o.clickHouse() != null && a.flag("clickhouse-cluster")) {
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
                        .withControl(Topics.CONTROL.in(prefix));
        if (a.flag("replay")) {
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
                        new TocsinJob.Settings("tocsin", o.parallelism(), interval));
        int restPort = a.intValue("rest-port", 0);
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

    static LiveSinks.Delivery delivery(String text) {
        return switch (text) {
            case "at-least-once" -> LiveSinks.Delivery.AT_LEAST_ONCE;
            case "exactly-once" -> LiveSinks.Delivery.EXACTLY_ONCE;
            default ->
                    throw new Args.UsageException(
                            "run: --delivery must be at-least-once or exactly-once, got '"
                                    + text
                                    + "'");
        };
    }

    private static DurableState durableState(Args a, String groupId, Duration interval) {
        Path local = LocalDirs.root().resolve(".local");
        URI checkpoints =
                uri(a.get("checkpoint-dir", null), local.resolve("checkpoints").resolve(groupId));
        URI savepoints =
                uri(a.get("savepoint-dir", null), local.resolve("savepoints").resolve(groupId));
        try {
            return new DurableState(
                    checkpoints,
                    savepoints,
                    interval,
                    a.intValue("retained", 3),
                    a.get("state-backend", DurableState.ROCKSDB),
                    null,
                    a.flag("allow-non-restored-state"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("run: " + e.getMessage());
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
