package io.tocsin.pipeline;

import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.ChangeDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.EventTimeMode;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.IngestedChange;
import io.tocsin.ingest.IngestedCommand;
import io.tocsin.ingest.IngestedPoint;
import io.tocsin.ingest.MetricPointDecoder;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Where the pipeline's input comes from: Kafka in live mode, files in backtest, collections in
 * tests. Sources decode as they read (so watermarks come from event times per Kafka partition) and
 * apply the given watermark strategy.
 */
public interface Sources {

    /** Decoded alert notifications and dead letters, with timestamps and watermarks assigned. */
    DataStream<Ingested> alerts(
            StreamExecutionEnvironment env,
            AlertDecoder decoder,
            WatermarkStrategy<Ingested> watermarks);

    /**
     * Control messages (JSON lines changing suppression rules, the topology or the escalation
     * policy at run time, see io.tocsin.control.ControlMessage), with the Kafka timestamp as record
     * time when there is one. None by default.
     */
    default DataStream<String> control(StreamExecutionEnvironment env) {
        return noControl(env);
    }

    /**
     * Decoded telemetry points and dead letters, with timestamps and watermarks assigned. None by
     * default.
     */
    default DataStream<IngestedPoint> telemetry(
            StreamExecutionEnvironment env,
            MetricPointDecoder decoder,
            WatermarkStrategy<IngestedPoint> watermarks) {
        // An empty bounded stream: it finishes at once, so its watermark never holds the job back.
        return env.fromData(Types.STRING, "")
                .name("no-telemetry")
                .uid("no-telemetry")
                .flatMap((String line, Collector<IngestedPoint> out) -> {})
                .returns(IngestedPoint.class)
                .name("no-telemetry-points")
                .uid("no-telemetry-points");
    }

    /**
     * Decoded commands (acknowledge, resolve, ...) and dead letters, with timestamps and watermarks
     * assigned. None by default.
     */
    default DataStream<IngestedCommand> commands(
            StreamExecutionEnvironment env,
            CommandDecoder decoder,
            WatermarkStrategy<IngestedCommand> watermarks) {
        return env.fromData(Types.STRING, "")
                .name("no-commands")
                .uid("no-commands")
                .flatMap((String line, Collector<IngestedCommand> out) -> {})
                .returns(IngestedCommand.class)
                .name("no-commands-records")
                .uid("no-commands-records");
    }

    /**
     * Decoded changes (deploys, config changes, feature flags, infrastructure changes) and dead
     * letters, with timestamps and watermarks assigned. None by default.
     */
    default DataStream<IngestedChange> changes(
            StreamExecutionEnvironment env,
            ChangeDecoder decoder,
            WatermarkStrategy<IngestedChange> watermarks) {
        return env.fromData(Types.STRING, "")
                .name("no-changes")
                .uid("no-changes")
                .flatMap((String line, Collector<IngestedChange> out) -> {})
                .returns(IngestedChange.class)
                .name("no-changes-records")
                .uid("no-changes-records");
    }

    /**
     * How event time advances: files and collections are a backtest (pure event time); live Kafka
     * inputs are driven by heartbeats, so escalation timers fire on time in a quiet stream.
     */
    default EventTimeMode timeMode() {
        return EventTimeMode.BACKTEST;
    }

    /** True for the live job (heartbeat-driven event time). */
    default boolean live() {
        return timeMode() == EventTimeMode.LIVE;
    }

    /**
     * Live inputs only: attaches what keeps event time moving on quiet inputs (a heartbeat on every
     * input partition every {@code interval}, see io.tocsin.ingest.Heartbeats). Nothing by default.
     */
    default void heartbeats(StreamExecutionEnvironment env, java.time.Duration interval) {}

    /** An empty control stream. */
    static DataStream<String> noControl(StreamExecutionEnvironment env) {
        // fromData cannot be empty in Flink 2.2 (its generator reads element 0 anyway), so the
        // empty stream is one blank line filtered out.
        return env.fromData(Types.STRING, "")
                .name("no-control")
                .uid("no-control")
                .filter(line -> !line.isEmpty())
                .name("no-control-lines")
                .uid("no-control-lines");
    }
}
