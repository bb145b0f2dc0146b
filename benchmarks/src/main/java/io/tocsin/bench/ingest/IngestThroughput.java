package io.tocsin.bench.ingest;

import io.tocsin.avro.Alert;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.IngestWatermarks;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.Ingestion;
import io.tocsin.ingest.Origin;
import io.tocsin.pipeline.Sources;
import io.tocsin.testing.StormGenerator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Notifications per second through decode + dedupe + suppress at parallelism 1 on a local
 * MiniCluster (one task slot: one core for the pipeline), over the seeded storm of StormITCase, and
 * the reduction ratio (notifications in / transitions out). Usage: {@code ./tocsin bench ingest
 * [ROUNDS]}. The first round warms the JVM up and is not reported.
 */
public final class IngestThroughput {

    static final LongAdder OUT = new LongAdder();
    static volatile List<String> LINES = List.of();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        StormGenerator.Storm storm = StormGenerator.generate(42, 3200, 300, 100, 90, 100);
        Policy policy =
                PolicyLoader.parse(
                        "storm-policy.yaml",
                        new ByteArrayInputStream(
                                StormGenerator.POLICY_YAML.getBytes(StandardCharsets.UTF_8)));
        int in = storm.lines().size();
        List<Double> rates = new ArrayList<>();
        long transitions = 0;
        for (int r = 0; r <= rounds; r++) {
            OUT.reset();
            long start = System.nanoTime();
            run(storm.lines(), policy);
            double seconds = (System.nanoTime() - start) / 1e9;
            transitions = OUT.sum();
            if (r > 0) {
                rates.add(in / seconds);
                System.out.printf(
                        "round %d: %d records in %.2f s = %.0f records/s%n",
                        r, in, seconds, in / seconds);
            }
        }
        rates.sort(null);
        System.out.printf(
                "ingest: %d records (%d notifications + %d bad), %d transitions out, reduction %.1fx;"
                        + " median %.0f records/s over %d rounds (includes job start, ~1 s)%n",
                in,
                storm.notifications(),
                storm.badLines().size(),
                transitions,
                storm.notifications() / (double) transitions,
                rates.get(rates.size() / 2),
                rates.size());
    }

    static void run(List<String> lines, Policy policy) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        AlertDecoder decoder =
                new AlertDecoder(policy.severity(), policy.ingest().maxRecordBytes());
        LINES = lines;
        // Lines come from a generator reading a static list (same JVM: local MiniCluster), so the
        // job graph does not carry 100k serialised lines and the clock measures the pipeline.
        DataStream<String> raw =
                env.fromSource(
                        new DataGeneratorSource<>(
                                i -> LINES.get((int) (long) i), lines.size(), Types.STRING),
                        WatermarkStrategy.noWatermarks(),
                        "storm-lines");
        DataStream<Ingested> ingested =
                raw.flatMap(
                                (String l, Collector<Ingested> out) ->
                                        decoder.decode(
                                                l.getBytes(StandardCharsets.UTF_8),
                                                Origin.line("storm", 0),
                                                out::collect))
                        .returns(TypeInformation.of(Ingested.class))
                        .assignTimestampsAndWatermarks(IngestWatermarks.forAlerts(policy.ingest()));
        DataStream<Alert> alerts = Ingestion.alerts(ingested);
        DataStream<Alert> transitions =
                io.tocsin.dedupe.Deduplication.apply(alerts, policy.dedupe());
        io.tocsin.suppress.Suppression.apply(
                        transitions,
                        io.tocsin.control.ControlStreams.of(Sources.noControl(env)).ruleChanges(),
                        policy)
                .sinkTo(new Counting());
        env.execute("ingest-throughput");
    }

    /** Counts what arrives and drops it. */
    static final class Counting implements Sink<Alert> {
        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert element, Context ctx) {
                    OUT.increment();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
