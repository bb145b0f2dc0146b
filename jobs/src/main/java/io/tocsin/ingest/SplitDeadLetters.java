package io.tocsin.ingest;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.metrics.LabelledCounters;
import io.tocsin.metrics.MetricNames;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes accepted alerts on and sends rejected records to the dead-letter side output. */
public final class SplitDeadLetters extends ProcessFunction<Ingested, Alert> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter accepted;
    private transient Counter rejected;
    private transient LabelledCounters rejectedByReason;

    @Override
    public void open(OpenContext ctx) {
        accepted = getRuntimeContext().getMetricGroup().counter(MetricNames.ALERTS_ACCEPTED);
        rejected = getRuntimeContext().getMetricGroup().counter(MetricNames.DEAD_LETTERS);
        rejectedByReason =
                new LabelledCounters(
                        getRuntimeContext().getMetricGroup(),
                        MetricNames.REASON,
                        MetricNames.DEAD_LETTERS);
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<Alert> out) {
        if (in.heartbeatAt != 0) {
            return; // it has moved the watermark, which is all it is for
        }
        if (in.alert != null) {
            accepted.inc();
            out.collect(in.alert);
        } else {
            rejected.inc();
            rejectedByReason.inc(in.deadLetter.getReasonCode());
            ctx.output(DEAD_LETTERS, in.deadLetter);
        }
    }
}
