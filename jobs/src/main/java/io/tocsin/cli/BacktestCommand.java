package io.tocsin.cli;

import io.tocsin.config.Catalog;
import io.tocsin.config.CatalogReader;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import io.tocsin.pipeline.BacktestSinks;
import io.tocsin.pipeline.FileSources;
import io.tocsin.pipeline.TocsinJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tocsin backtest}: runs the live pipeline over an alerts file on the local MiniCluster. */
@Command(
        name = "backtest",
        header = "run the pipeline over an alerts file and write incident events",
        sortOptions = false,
        description = {
            "Runs the same pipeline as the live job over an alerts file (one Alertmanager alert",
            "object per line) on a local Flink MiniCluster, in event time, and writes:",
            "  DIR/incident-events.jsonl   one IncidentEvent per line (JSON, ISO-8601 UTC times)",
            "  DIR/dead-letters.jsonl      lines that could not be accepted, with the reason",
            "  DIR/alert-transitions.jsonl alert state transitions after dedupe and suppression",
            "  DIR/pages.jsonl             what would have been paged (PagerDuty Events v2 JSON)",
            "The same input gives the same output byte for byte, whatever the parallelism.",
            "--control replays control messages (suppression rule changes, each with its event",
            "time \"at\") as the control topic would deliver them, to evaluate a rule change.",
            "--catalog adds the service catalog: pages carry runbooks, upstream and downstream",
            "services, owner team, customer tier and region, and chains may match on them.",
            "--telemetry feeds metric points (one JSON object per line: metric, labels, value,",
            "timestamp) to the anomaly detectors, as the telemetry topic would.",
            "--commands replays commands (acknowledge, downgrade, approve, ...; JSON lines with",
            "issuedAt) as the commands topic would. Escalation timers run on event time, so a",
            "policy change can be tried on last month's alerts: \"what would this have paged?\".",
            "--changes replays changes (deploys, config, feature flags, infrastructure; JSON",
            "lines with time) as the changes topic would: each incident names its suspects.",
            ""
        })
final class BacktestCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    @Option(
            names = "--alerts",
            required = true,
            paramLabel = "FILE.jsonl",
            converter = ExistingFile.class,
            description = "the alerts to replay")
    Path alerts;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "where to write the output files")
    Path outDir;

    @Option(
            names = "--topology",
            paramLabel = "FILE.json",
            converter = ExistingFile.class,
            description = "service topology (default: none)")
    Path topologyFile;

    @Option(
            names = "--catalog",
            paramLabel = "FILE.yaml|json",
            converter = ExistingFile.class,
            description =
                    "service catalog: owner team, schedule, runbook, tiers, region, vendor per"
                            + " service (default: none)")
    Path catalogFile;

    @Option(
            names = "--policy",
            paramLabel = "FILE.yaml",
            converter = ExistingFile.class,
            description = "policy (default: the built-in defaults)")
    Path policyFile;

    @Option(
            names = "--control",
            paramLabel = "FILE.jsonl",
            converter = ExistingFile.class,
            description = "control messages to replay")
    Path controlFile;

    @Option(
            names = "--telemetry",
            paramLabel = "FILE.jsonl",
            converter = ExistingFile.class,
            description = "metric points to replay")
    Path telemetryFile;

    @Option(
            names = "--commands",
            paramLabel = "FILE.jsonl",
            converter = ExistingFile.class,
            description = "commands to replay")
    Path commandsFile;

    @Option(
            names = "--changes",
            paramLabel = "FILE.jsonl",
            converter = ExistingFile.class,
            description = "changes (deploys, config, flags, infrastructure) to replay")
    Path changesFile;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "2",
            description = "operator parallelism (default ${DEFAULT-VALUE})")
    int parallelism;

    private final PrintStream out;

    BacktestCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Policy policy = policyFile == null ? Policy.defaults() : PolicyLoader.load(policyFile);
        Topology topology =
                topologyFile == null ? Topology.empty() : TopologyLoader.load(topologyFile);
        Catalog catalog =
                catalogFile == null
                        ? Catalog.empty()
                        : CatalogReader.load(catalogFile, policy.escalation().schedules().ids());
        Files.createDirectories(outDir);

        Map<String, Long> counts =
                backtest(
                        new FileSources(alerts, controlFile, telemetryFile)
                                .withCommands(commandsFile)
                                .withChanges(changesFile),
                        outDir,
                        policy,
                        topology,
                        catalog,
                        parallelism);
        out.printf(
                "backtest: %d incident events, %d dead letters, %d alert transitions, %d pages,"
                        + " %d status updates -> %s%n",
                counts.get(BacktestSinks.INCIDENT_EVENTS),
                counts.get(BacktestSinks.DEAD_LETTERS),
                counts.get(BacktestSinks.TRANSITIONS),
                counts.get(BacktestSinks.PAGES),
                counts.get(BacktestSinks.STATUS_UPDATES),
                outDir);
        return 0;
    }

    /** Runs one backtest and returns the line count of each output file. */
    static Map<String, Long> backtest(
            Path alerts, Path outDir, Policy policy, Topology topology, int parallelism)
            throws Exception {
        return backtest(new FileSources(alerts), outDir, policy, topology, parallelism);
    }

    /** As above, with control messages and telemetry from files too. */
    static Map<String, Long> backtest(
            FileSources inputs, Path outDir, Policy policy, Topology topology, int parallelism)
            throws Exception {
        return backtest(inputs, outDir, policy, topology, Catalog.empty(), parallelism);
    }

    /** As above, with a service catalog routing and enriching the pages. */
    static Map<String, Long> backtest(
            FileSources inputs,
            Path outDir,
            Policy policy,
            Topology topology,
            Catalog catalog,
            int parallelism)
            throws Exception {
        BacktestSinks sinks = new BacktestSinks(outDir);
        TocsinJob job =
                new TocsinJob(
                        inputs,
                        sinks,
                        policy,
                        topology,
                        catalog,
                        new TocsinJob.Settings("tocsin-backtest", parallelism, Duration.ZERO));
        job.execute(LocalEnvironments.create(parallelism));
        return sinks.finish();
    }
}
