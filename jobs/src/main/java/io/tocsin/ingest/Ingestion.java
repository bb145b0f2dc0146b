package io.tocsin.ingest;

import io.tocsin.avro.Alert;
import io.tocsin.avro.Change;
import io.tocsin.avro.Command;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.MetricPoint;
import io.tocsin.metrics.MetricNames;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The ingest stage from stream to stream: a source's decoded records in, its accepted records out,
 * and its dead letters on the {@link #DEAD_LETTERS} side output of the returned operator. The uids
 * are those of the first release: never change them.
 */
public final class Ingestion {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private Ingestion() {}

    public static SingleOutputStreamOperator<Alert> alerts(DataStream<Ingested> in) {
        return split(in, MetricNames.ALERTS_ACCEPTED, Alert.class, "split-dead-letters");
    }

    public static SingleOutputStreamOperator<MetricPoint> telemetry(DataStream<IngestedPoint> in) {
        return split(
                in, MetricNames.POINTS_ACCEPTED, MetricPoint.class, "split-telemetry-dead-letters");
    }

    public static SingleOutputStreamOperator<Command> commands(DataStream<IngestedCommand> in) {
        return split(
                in, MetricNames.COMMANDS_ACCEPTED, Command.class, "split-command-dead-letters");
    }

    public static SingleOutputStreamOperator<Change> changes(DataStream<IngestedChange> in) {
        return split(in, MetricNames.CHANGES_ACCEPTED, Change.class, "split-change-dead-letters");
    }

    private static <I extends Decoded<O>, O> SingleOutputStreamOperator<O> split(
            DataStream<I> in, String acceptedMetric, Class<O> type, String uid) {
        return in.process(new SplitRejected<I, O>(acceptedMetric)).returns(type).name(uid).uid(uid);
    }
}
