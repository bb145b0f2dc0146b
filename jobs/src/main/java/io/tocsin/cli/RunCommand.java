package io.tocsin.cli;

import io.tocsin.config.Topics;
import io.tocsin.pipeline.KafkaSources;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.sink.ClickHouseMigrator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code tocsin run}: the live job, Kafka in, Kafka and ClickHouse out. */
final class RunCommand {

    static final String USAGE =
            "Usage: tocsin run [OPTIONS]\n\n"
                    + "Runs the live job: reads the alerts, telemetry, commands and control topics,\n"
                    + "writes the incident-events, pages and dead-letters topics and the ClickHouse\n"
                    + "tables (migrating them first). When an input is quiet its event time follows\n"
                    + "the wall clock, so escalation timers fire on time with no traffic.\n"
                    + "Runs on a local MiniCluster, or on a cluster when submitted with flink run.\n"
                    + "Locally its metrics are on Flink's Prometheus reporter, at /metrics on the first\n"
                    + "free port of 9249-9259 (TOCSIN_METRICS_PORT=PORT or RANGE, or off).\n\n"
                    + LiveOptions.HELP
                    + "  --checkpoint-interval D  checkpoint interval, e.g. 10s (default 10s)\n";

    private RunCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Set<String> options = new HashSet<>(LiveOptions.OPTIONS);
        options.add("checkpoint-interval");
        Args a = Args.parse("run", argv, options, Set.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        LiveOptions o = LiveOptions.from(a, System.getenv(), null);
        Duration interval = io.tocsin.config.Durations.parse(a.get("checkpoint-interval", "10s"));
        out.println("run: migrating ClickHouse " + o.clickHouse());
        new ClickHouseMigrator(o.clickHouse()).migrate();
        TocsinJob job =
                new TocsinJob(
                        new KafkaSources(o.kafka(), Topics.ALERTS.name(), o.groupId(), false)
                                .withTelemetry(Topics.TELEMETRY.name())
                                .withCommands(Topics.COMMANDS.name()),
                        new LiveSinks(
                                o.kafka(),
                                "tocsin-" + o.groupId(),
                                o.clickHouse(),
                                o.policy().correlation().domainLabel()),
                        o.policy(),
                        o.topology(),
                        new TocsinJob.Settings("tocsin", o.parallelism(), interval));
        job.execute(LocalEnvironments.create(o.parallelism()));
        return 0;
    }
}
