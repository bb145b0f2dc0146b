package io.tocsin.cli;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Topics;
import io.tocsin.pipeline.KafkaSources;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.TocsinJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Java half of {@code tocsin demo} (the launcher starts Kafka and ClickHouse first): starts the
 * live job on a local MiniCluster, replays the bundled alert storm into the alerts topic at a
 * chosen speed, prints incidents as they open, drains the job (end of event time, so pending timers
 * fire) and prints a summary read back from ClickHouse with SQL.
 */
@Command(
        name = "demo-run",
        header = "the Java half of `tocsin demo` (job, replay, live incident view, summary)",
        sortOptions = false,
        customSynopsis = "tocsin demo [--speed X] [--keep-running] [OPTIONS]",
        description = {
            "Replays the bundled alert storm (jobs/src/main/resources/demo) through the live",
            "job and prints incidents as they open, then a summary from ClickHouse.",
            ""
        })
final class DemoCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    @Mixin LiveOptions.Flags live;

    @Option(
            names = "--speed",
            paramLabel = "X",
            defaultValue = "120",
            description = "replay X times faster than the storm happened (default 120)")
    double speed;

    @Option(
            names = "--storm",
            paramLabel = "FILE.jsonl",
            converter = ExistingFile.class,
            description = "replay this alerts file instead of the bundled storm")
    Path stormFile;

    // Handled by the launcher (./tocsin demo), which keeps its stack up; declared for the help.
    @Option(
            names = "--keep-running",
            description = {
                "leave Kafka, ClickHouse and the gateway (the incident board) up",
                "after the demo, to explore; ./tocsin down stops them"
            })
    boolean keepRunning;

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        LiveOptions o = LiveOptions.from(live, System.getenv(), "demo/topology.json");
        List<String> storm =
                stormFile == null
                        ? resourceLines("demo/storm.jsonl")
                        : Files.readAllLines(stormFile);
        List<String> bad = resourceLines("demo/bad-records.jsonl");
        List<String> telemetry = resourceLines("demo/telemetry.jsonl");
        List<String> changes = resourceLines("demo/changes.jsonl");

        // The storm has fixed dates: keep its rows however long ago that was (the tables' TTL is
        // measured from now), as anyone loading history does.
        // (The telemetry history starts a day before the storm.)
        Instant first = storm.isEmpty() ? null : StormReplay.receivedAt(storm.get(0));
        ClickHouseSettings ch =
                DemoDatabase.recreate(
                        first == null
                                ? o.clickHouse()
                                : o.clickHouse()
                                        .withRetentionCovering(
                                                first.minus(Duration.ofDays(2)), Instant.now()),
                        out);
        String groupId = "tocsin-demo-" + System.currentTimeMillis();

        // Events consumer first, positioned at the end, so we print exactly this run's events.
        DemoResponder responder = new DemoResponder(o.kafka(), out);
        IncidentEventPrinter printer = new IncidentEventPrinter(o.kafka(), responder, out);
        printer.start();

        StreamExecutionEnvironment env = LocalEnvironments.create(o.parallelism());
        new TocsinJob(
                        new KafkaSources(
                                        o.kafka(),
                                        Topics.ALERTS.name(),
                                        groupId,
                                        false,
                                        OffsetsInitializer.offsets(
                                                ConsumerLag.endOffsets(
                                                        o.kafka(),
                                                        Topics.ALERTS.name(),
                                                        Topics.TELEMETRY.name(),
                                                        Topics.COMMANDS.name(),
                                                        Topics.CHANGES.name())))
                                .withTelemetry(Topics.TELEMETRY.name())
                                .withCommands(Topics.COMMANDS.name())
                                .withChanges(Topics.CHANGES.name())
                                .replaying(),
                        new LiveSinks(
                                o.kafka(), groupId, ch, o.policy().correlation().domainLabel()),
                        o.policy(),
                        o.topology(),
                        o.catalog(),
                        new TocsinJob.Settings(
                                "tocsin-demo", o.parallelism(), Duration.ofSeconds(2)))
                .build(env);
        JobClient job = env.executeAsync("tocsin-demo");
        out.println("demo: job " + job.getJobID() + " started on a local MiniCluster");

        int sent = new StormReplay(o.kafka(), speed, out).replay(storm, telemetry, changes, bad);
        out.printf(
                "demo: replayed %d notifications and %d bad records; waiting for the job to catch up%n",
                sent, bad.size());
        ConsumerLag.waitCaughtUp(o.kafka(), groupId, Topics.ALERTS.name(), out);
        ConsumerLag.waitCaughtUp(o.kafka(), groupId + "-telemetry", Topics.TELEMETRY.name(), out);
        ConsumerLag.waitCaughtUp(o.kafka(), groupId + "-changes", Topics.CHANGES.name(), out);
        // The responder's acknowledgement is sent when the first SEV1 page shows up: let it land.
        responder.awaitAcknowledgementSent(Duration.ofSeconds(30));
        ConsumerLag.waitCaughtUp(o.kafka(), groupId + "-commands", Topics.COMMANDS.name(), out);

        out.println("demo: draining the job (end of event time: pending resolve timers fire)");
        String savepointDir =
                Path.of(".local", "demo", "savepoints").toAbsolutePath().toUri().toString();
        job.stopWithSavepoint(true, savepointDir, SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        printer.stopAfterQuiet(Duration.ofSeconds(3));

        DemoSummary.print(ch, sent, out);
        return 0;
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("bundled resource " + name + " is missing from the jar");
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (!l.isBlank()) {
                        lines.add(l);
                    }
                }
            }
            return lines;
        }
    }
}
