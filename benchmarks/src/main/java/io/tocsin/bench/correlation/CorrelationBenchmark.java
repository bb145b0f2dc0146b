package io.tocsin.bench.correlation;

import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import io.tocsin.pipeline.BacktestSinks;
import io.tocsin.pipeline.FileSources;
import io.tocsin.pipeline.TocsinJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Correlation quality, Tocsin against Alertmanager-style grouping, on generated scenarios with
 * ground truth: for each seed and topology size it generates a scenario, runs Tocsin's backtest
 * pipeline over it in-process (a local MiniCluster), replays the baselines, scores all of them and
 * prints one table. Usage: {@code ./tocsin bench correlation [--help]}.
 */
public final class CorrelationBenchmark {

    static final String USAGE =
            """
            Usage: ./tocsin bench correlation [OPTIONS]

              --families LIST     scenario families: layered, mesh, platform
                                  (default layered,mesh,platform)
              --tuned-on FAMILY   the family the policy was tuned on; the others are held out
                                  (default layered)
              --seeds LIST        seeds, e.g. 1,2,3 or 1-5            (default 1-5)
              --sizes LIST        topology sizes in services  (default per family: layered
                                  15,40,100; mesh and platform 48,80,150)
              --hours H           scored scenario length in hours      (default 3)
              --warmup H          history before the scored part, in hours, for the families
                                  that have one (default: mesh and platform 6, layered 0)
              --topology MODE     given (the family's topology file) or none (an empty one:
                                  a topology-free deployment)       (default given)
              --group-by SETS     baseline group_by label sets, ';' between sets
                                  (default "cluster,alertname;cluster,service")
              --policy FILE       Tocsin policy YAML                   (default: built-in defaults)
              --parallelism N     backtest parallelism                 (default 2)
              --keep DIR          keep every scenario and backtest output under
                                  DIR/FAMILY-seed-S-size-N
              --explain N         after each scenario, print up to N split faults, mixed incidents
                                  and wrong root causes of Tocsin's result
              --markdown          print the table as Markdown too
              --replay DIR        tuning only: instead of a backtest, replay the alert transitions
                                  a previous --keep DIR run left through the correlator in this
                                  thread (no mesh telemetry; close to the backtest, not equal)
              --generate DIR      only write the scenarios (topology.json, alerts.jsonl, truth.json,
                                  telemetry.jsonl) under DIR/FAMILY-seed-S-size-N and exit
            """;

    private CorrelationBenchmark() {}

    /** Parsed command line. */
    record Options(
            List<ScenarioFamily> families,
            ScenarioFamily tunedOn,
            List<Long> seeds,
            List<Integer> sizes,
            Duration horizon,
            Duration warmup,
            boolean withholdTopology,
            List<List<String>> groupBys,
            Path policy,
            int parallelism,
            Path keep,
            int explain,
            boolean markdown,
            Path generateOnly,
            Path replay) {

        static Options parse(String[] args) {
            List<ScenarioFamily> families = List.of(ScenarioFamily.values());
            ScenarioFamily tunedOn = ScenarioFamily.LAYERED;
            List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L);
            List<Integer> sizes = null;
            Duration horizon = Duration.ofHours(3);
            Duration warmup = null;
            boolean withhold = false;
            List<List<String>> groupBys =
                    List.of(List.of("cluster", "alertname"), List.of("cluster", "service"));
            Path policy = null;
            int parallelism = 2;
            Path keep = null;
            int explain = 0;
            boolean markdown = false;
            Path generate = null;
            Path replay = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--families" -> {
                        List<ScenarioFamily> fs = new ArrayList<>();
                        for (String f : value(args, ++i, a).split(",")) {
                            fs.add(ScenarioFamily.of(f));
                        }
                        families = fs;
                    }
                    case "--tuned-on" -> tunedOn = ScenarioFamily.of(value(args, ++i, a));
                    case "--seeds" -> seeds = longs(value(args, ++i, a));
                    case "--sizes" ->
                            sizes =
                                    longs(value(args, ++i, a)).stream()
                                            .map(Long::intValue)
                                            .toList();
                    case "--hours" -> horizon = hours(value(args, ++i, a));
                    case "--warmup" -> warmup = hours(value(args, ++i, a));
                    case "--topology" -> {
                        String m = value(args, ++i, a);
                        if (!m.equals("given") && !m.equals("none")) {
                            throw new IllegalArgumentException(
                                    "--topology is 'given' or 'none', not '" + m + "'");
                        }
                        withhold = m.equals("none");
                    }
                    case "--group-by" -> {
                        List<List<String>> sets = new ArrayList<>();
                        for (String set : value(args, ++i, a).split(";")) {
                            if (!set.isBlank()) {
                                sets.add(Arrays.stream(set.split(",")).map(String::trim).toList());
                            }
                        }
                        groupBys = sets;
                    }
                    case "--policy" -> policy = Path.of(value(args, ++i, a));
                    case "--parallelism" -> parallelism = Integer.parseInt(value(args, ++i, a));
                    case "--keep" -> keep = Path.of(value(args, ++i, a));
                    case "--explain" -> explain = Integer.parseInt(value(args, ++i, a));
                    case "--markdown" -> markdown = true;
                    case "--generate" -> generate = Path.of(value(args, ++i, a));
                    case "--replay" -> replay = Path.of(value(args, ++i, a));
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown option '" + a + "'\n" + USAGE);
                }
            }
            return new Options(
                    families,
                    tunedOn,
                    seeds,
                    sizes,
                    horizon,
                    warmup,
                    withhold,
                    groupBys,
                    policy,
                    parallelism,
                    keep,
                    explain,
                    markdown,
                    generate,
                    replay);
        }

        List<Integer> sizesOf(ScenarioFamily f) {
            return sizes == null ? f.defaultSizes() : sizes;
        }

        Duration warmupOf(ScenarioFamily f) {
            if (f == ScenarioFamily.LAYERED) {
                return Duration.ZERO;
            }
            return warmup == null ? f.defaultWarmup() : warmup;
        }

        private static Duration hours(String v) {
            return Duration.ofMinutes(Math.round(60 * Double.parseDouble(v)));
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return args[i];
        }

        /** "1,2,5" or "1-5" or a mix. */
        static List<Long> longs(String spec) {
            List<Long> out = new ArrayList<>();
            for (String part : spec.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long from = Long.parseLong(p.substring(0, dash));
                    long to = Long.parseLong(p.substring(dash + 1));
                    for (long v = from; v <= to; v++) {
                        out.add(v);
                    }
                } else if (!p.isEmpty()) {
                    out.add(Long.parseLong(p));
                }
            }
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        quietLogging();
        Options o = Options.parse(args);
        if (o.generateOnly() != null) {
            for (ScenarioFamily family : o.families()) {
                for (long seed : o.seeds()) {
                    for (int size : o.sizesOf(family)) {
                        Path dir = o.generateOnly().resolve(dirName(family, seed, size));
                        Scenario s = generate(o, family, seed, size);
                        s.write(dir);
                        System.out.printf(
                                "%s: %d notifications, %d episodes, %d faults%n",
                                dir,
                                s.alertLines().size(),
                                s.truth().episodes().size(),
                                s.truth().faults().size());
                    }
                }
            }
            return;
        }
        Policy policy = o.policy() == null ? Policy.defaults() : PolicyLoader.load(o.policy());
        ResultTable table = new ResultTable(o.tunedOn().id());
        long started = System.nanoTime();
        for (ScenarioFamily family : o.families()) {
            for (long seed : o.seeds()) {
                for (int size : o.sizesOf(family)) {
                    runOne(o, policy, family, seed, size, table);
                }
            }
        }
        System.out.println();
        System.out.println(
                "Correlation quality: Tocsin backtest vs Alertmanager-style grouping (group_wait 30s,"
                        + " group_interval 5m), "
                        + o.horizon().toMinutes() / 60.0
                        + " h scored per scenario; policy tuned on "
                        + o.tunedOn().id()
                        + (o.withholdTopology() ? "; no topology file" : ""));
        System.out.print(table.text());
        if (o.markdown()) {
            System.out.println();
            System.out.print(table.markdown());
        }
        System.out.printf("total %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    static String dirName(ScenarioFamily family, long seed, int size) {
        return family.id() + "-seed-" + seed + "-size-" + size;
    }

    static Scenario generate(Options o, ScenarioFamily family, long seed, int size) {
        Scenario s = family.generate(seed, size, o.horizon(), o.warmupOf(family));
        return o.withholdTopology() ? withoutTopology(s) : s;
    }

    /** The same scenario with an empty topology file (the true graph is kept for the stats). */
    static Scenario withoutTopology(Scenario s) {
        ScenarioTopology given = s.topology();
        ScenarioTopology none =
                new ScenarioTopology() {
                    @Override
                    public Map<String, List<String>> dependsOn() {
                        return given.dependsOn();
                    }

                    @Override
                    public boolean everyServiceInEveryCluster() {
                        return given.everyServiceInEveryCluster();
                    }

                    @Override
                    public void write(Path file) {
                        try {
                            Files.writeString(file, "{\"services\": []}\n");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                };
        return new Scenario(none, s.alertLines(), s.truth(), s.telemetryLines());
    }

    private static void runOne(
            Options o, Policy policy, ScenarioFamily family, long seed, int size, ResultTable table)
            throws Exception {
        Scenario scenario = generate(o, family, seed, size);
        GroundTruth truth = scenario.truth();
        Path dir =
                o.replay() != null
                        ? o.replay().resolve(dirName(family, seed, size))
                        : o.keep() != null
                                ? o.keep().resolve(dirName(family, seed, size))
                                : Files.createTempDirectory("tocsin-correlation-");
        try {
            long t0 = System.nanoTime();
            Path out;
            if (o.replay() != null) {
                out = dir.resolve("replay");
                CorrelatorReplay.run(
                        dir.resolve("tocsin").resolve(BacktestSinks.TRANSITIONS),
                        TopologyLoader.load(dir.resolve(Scenario.TOPOLOGY_FILE)),
                        policy.correlation(),
                        out.resolve(BacktestSinks.INCIDENT_EVENTS));
            } else {
                scenario.write(dir);
                out = dir.resolve("tocsin");
                backtest(dir, out, policy, o.parallelism());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<EpisodeKey> keys =
                    truth.episodes().stream().map(GroundTruth.Episode::key).toList();
            Assignment tocsin =
                    IncidentEventsReader.read(out.resolve(BacktestSinks.INCIDENT_EVENTS), keys);
            GroundTruth scored = truth.scored();
            ResultTable.ScenarioInfo info =
                    new ResultTable.ScenarioInfo(
                            family.id(),
                            seed,
                            size,
                            truth.clusters().size(),
                            truth.notifications());
            Scorer.Score ts = Scorer.score(truth, tocsin);
            table.add(info, ts);
            StringBuilder line = new StringBuilder();
            line.append(
                    String.format(
                            "%s seed %d size %d: %d notifications, %d episodes (%d scored), %d"
                                    + " faults (%d concurrent with a neighbour); backtest %.1f s;"
                                    + " tocsin F1 %.3f RC %.2f",
                            family.id(),
                            seed,
                            size,
                            truth.notifications(),
                            truth.episodes().size(),
                            scored.episodes().size(),
                            scored.faults().size(),
                            scenario.concurrentNeighbourFaults(),
                            seconds,
                            ts.f1(),
                            ts.rootCauseTop1()));
            for (List<String> groupBy : o.groupBys()) {
                Assignment am =
                        AlertmanagerBaseline.group(
                                scenario.alertLines(),
                                AlertmanagerBaseline.Options.groupBy(groupBy));
                Scorer.Score s = Scorer.score(truth, am);
                table.add(info, s);
                line.append(String.format("; %s F1 %.3f", s.method(), s.f1()));
            }
            System.err.println(line);
            if (o.explain() > 0) {
                for (String l : Scorer.explain(truth, tocsin, o.explain())) {
                    System.err.println(l);
                }
            }
        } finally {
            if (o.keep() == null && o.replay() == null) {
                deleteTree(dir);
            }
        }
    }

    /** Tocsin's backtest over a scenario directory, in this JVM, on a local MiniCluster. */
    static void backtest(Path scenarioDir, Path outDir, Policy policy, int parallelism)
            throws Exception {
        Files.createDirectories(outDir);
        Topology topology = TopologyLoader.load(scenarioDir.resolve(Scenario.TOPOLOGY_FILE));
        Path telemetry = scenarioDir.resolve(Scenario.TELEMETRY_FILE);
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(128));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        BacktestSinks sinks = new BacktestSinks(outDir);
        new TocsinJob(
                        new FileSources(
                                scenarioDir.resolve(Scenario.ALERTS_FILE),
                                null,
                                Files.exists(telemetry) ? telemetry : null),
                        sinks,
                        policy,
                        topology,
                        new TocsinJob.Settings("bench-correlation", parallelism, Duration.ZERO))
                .execute(env);
        sinks.finish();
    }

    /** Flink logs at INFO by default: keep the console to errors, the rest in a file. */
    private static void quietLogging() {
        if (System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j.configurationFile", "log4j2-cli.properties");
        }
        if (System.getProperty("tocsin.logdir") == null) {
            String home = System.getenv("TOCSIN_HOME");
            Path logs =
                    home == null
                            ? Path.of(System.getProperty("java.io.tmpdir"))
                            : Path.of(home, ".local", "logs");
            try {
                Files.createDirectories(logs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("tocsin.logdir", logs.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
