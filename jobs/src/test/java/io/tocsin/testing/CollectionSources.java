package io.tocsin.testing;

import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.IngestedCommand;
import io.tocsin.ingest.IngestedPoint;
import io.tocsin.ingest.MetricPointDecoder;
import io.tocsin.ingest.Origin;
import io.tocsin.ingest.RecordDecoder;
import io.tocsin.pipeline.Sources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/** Test input: alert lines from a list, decoded like every other source. */
public final class CollectionSources implements Sources {

    private final List<String> lines;
    private List<String> telemetryLines;
    private List<String> commandLines;
    private List<String> controlLines;

    public CollectionSources(List<String> lines) {
        this.lines = new ArrayList<>(lines);
    }

    /** Also feeds these telemetry lines (JSON points), decoded like the telemetry topic. */
    public CollectionSources withTelemetry(List<String> telemetry) {
        this.telemetryLines = new ArrayList<>(telemetry);
        return this;
    }

    /** Also feeds these control messages (each with its event time "at"). */
    public CollectionSources withControl(List<String> control) {
        this.controlLines = new ArrayList<>(control);
        return this;
    }

    @Override
    public DataStream<String> control(StreamExecutionEnvironment env) {
        if (controlLines == null) {
            return Sources.super.control(env);
        }
        return env.fromData(controlLines).setParallelism(1);
    }

    /** Also feeds these command lines (JSON commands), decoded like the commands topic. */
    public CollectionSources withCommands(List<String> commands) {
        this.commandLines = new ArrayList<>(commands);
        return this;
    }

    @Override
    public DataStream<IngestedCommand> commands(
            StreamExecutionEnvironment env,
            CommandDecoder decoder,
            WatermarkStrategy<IngestedCommand> watermarks) {
        if (commandLines == null) {
            return Sources.super.commands(env, decoder, watermarks);
        }
        return decoded(env, commandLines, decoder, IngestedCommand.class, watermarks);
    }

    @Override
    public DataStream<IngestedPoint> telemetry(
            StreamExecutionEnvironment env,
            MetricPointDecoder decoder,
            WatermarkStrategy<IngestedPoint> watermarks) {
        if (telemetryLines == null) {
            return Sources.super.telemetry(env, decoder, watermarks);
        }
        return decoded(env, telemetryLines, decoder, IngestedPoint.class, watermarks);
    }

    @Override
    public DataStream<Ingested> alerts(
            StreamExecutionEnvironment env,
            AlertDecoder decoder,
            WatermarkStrategy<Ingested> watermarks) {
        return decoded(env, lines, decoder, Ingested.class, watermarks);
    }

    private static <T> DataStream<T> decoded(
            StreamExecutionEnvironment env,
            List<String> lines,
            RecordDecoder<T> decoder,
            Class<T> type,
            WatermarkStrategy<T> watermarks) {
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            numbered.add((i + 1) + "\t" + lines.get(i));
        }
        return env.fromData(numbered)
                .setParallelism(1)
                .flatMap(
                        (String l, Collector<T> out) -> {
                            int tab = l.indexOf('\t');
                            decoder.decode(
                                    l.substring(tab + 1).getBytes(StandardCharsets.UTF_8),
                                    Origin.line("collection", Long.parseLong(l.substring(0, tab))),
                                    out::collect);
                        })
                .returns(TypeInformation.of(type))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1);
    }
}
