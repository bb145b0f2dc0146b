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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Java half of {@code tocsin demo} (the launcher starts Kafka and ClickHouse first): starts the
 * live job on a local MiniCluster, replays the bundled alert storm into the alerts topic at a
 * chosen speed, prints incidents as they open, drains the job (end of event time, so pending timers
 * fire) and prints a summary read back from ClickHouse with SQL.
 */
final class DemoCommand {

    static final String USAGE =
            "Usage: tocsin demo [--speed X] [OPTIONS]\n\n"
                    + "Replays the bundled alert storm (jobs/src/main/resources/demo) through the live\n"
                    + "job and prints incidents as they open, then a summary from ClickHouse.\n\n"
                    + LiveOptions.HELP
                    + "  --speed X                replay X times faster than the storm happened (default 120)\n"
                    + "  --storm FILE.jsonl       replay this alerts file instead of the bundled storm\n";

    private DemoCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Set<String> options = new HashSet<>(LiveOptions.OPTIONS);
        options.add("speed");
        options.add("storm");
        Args a = Args.parse("demo", argv, options, Set.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        LiveOptions o = LiveOptions.from(a, System.getenv(), "demo/topology.json");
        double speed = Double.parseDouble(a.get("speed", "120"));
        List<String> storm =
                a.get("storm", null) == null
                        ? resourceLines("demo/storm.jsonl")
                        : java.nio.file.Files.readAllLines(a.existingFile("storm"));
        List<String> bad = resourceLines("demo/bad-records.jsonl");
        List<String> telemetry = resourceLines("demo/telemetry.jsonl");

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
                                                        Topics.COMMANDS.name())))
                                .withTelemetry(Topics.TELEMETRY.name())
                                .withCommands(Topics.COMMANDS.name())
                                .replaying(),
                        new LiveSinks(
                                o.kafka(), groupId, ch, o.policy().correlation().domainLabel()),
                        o.policy(),
                        o.topology(),
                        new TocsinJob.Settings(
                                "tocsin-demo", o.parallelism(), Duration.ofSeconds(2)))
                .build(env);
        JobClient job = env.executeAsync("tocsin-demo");
        out.println("demo: job " + job.getJobID() + " started on a local MiniCluster");

        int sent = new StormReplay(o.kafka(), speed, out).replay(storm, telemetry, bad);
        out.printf(
                "demo: replayed %d notifications and %d bad records; waiting for the job to catch up%n",
                sent, bad.size());
        ConsumerLag.waitCaughtUp(o.kafka(), groupId, Topics.ALERTS.name(), out);
        ConsumerLag.waitCaughtUp(o.kafka(), groupId + "-telemetry", Topics.TELEMETRY.name(), out);
        // The responder's acknowledgement is sent when the first SEV1 page shows up: let it land.
        responder.awaitAcknowledgementSent(Duration.ofSeconds(30));
        ConsumerLag.waitCaughtUp(o.kafka(), groupId + "-commands", Topics.COMMANDS.name(), out);

        out.println("demo: draining the job (end of event time: pending resolve timers fire)");
        String savepointDir =
                java.nio.file.Path.of(".local", "demo", "savepoints")
                        .toAbsolutePath()
                        .toUri()
                        .toString();
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
