package io.tocsin.ingest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes accepted records of a decoding source on and sends rejected ones to {@link
 * Ingestion#DEAD_LETTERS}, counting both ({@code acceptedMetric}, dead letters).
 */
final class SplitRejected<I extends Decoded<O>, O> extends ProcessFunction<I, O> {

    private final String acceptedMetric;

    private transient Counter accepted;
    private transient Counter rejected;
    private transient io.tocsin.metrics.LabelledCounters rejectedByReason;

    public SplitRejected(String acceptedMetric) {
        this.acceptedMetric = acceptedMetric;
    }

    @Override
    public void open(OpenContext ctx) {
        accepted = getRuntimeContext().getMetricGroup().counter(acceptedMetric);
        rejected =
                getRuntimeContext()
                        .getMetricGroup()
                        .counter(io.tocsin.metrics.MetricNames.DEAD_LETTERS);
        rejectedByReason =
                new io.tocsin.metrics.LabelledCounters(
                        getRuntimeContext().getMetricGroup(),
                        io.tocsin.metrics.MetricNames.REASON,
                        io.tocsin.metrics.MetricNames.DEAD_LETTERS);
    }

    @Override
    public void processElement(I in, Context ctx, Collector<O> out) {
        if (in.heartbeat() != 0) {
            return; // it has moved the watermark, which is all it is for
        }
        O value = in.accepted();
        if (value != null) {
            accepted.inc();
            out.collect(value);
        } else {
            rejected.inc();
            rejectedByReason.inc(in.rejected().getReasonCode());
            ctx.output(Ingestion.DEAD_LETTERS, in.rejected());
        }
    }
}
