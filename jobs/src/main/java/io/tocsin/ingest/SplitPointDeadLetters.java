package io.tocsin.ingest;

import io.tocsin.avro.MetricPoint;
import io.tocsin.metrics.MetricNames;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes accepted telemetry points on and sends rejected records to the dead-letter output. */
public final class SplitPointDeadLetters extends ProcessFunction<IngestedPoint, MetricPoint> {

    private transient Counter accepted;
    private transient Counter rejected;

    @Override
    public void open(OpenContext ctx) {
        accepted = getRuntimeContext().getMetricGroup().counter(MetricNames.POINTS_ACCEPTED);
        rejected = getRuntimeContext().getMetricGroup().counter(MetricNames.DEAD_LETTERS);
    }

    @Override
    public void processElement(IngestedPoint in, Context ctx, Collector<MetricPoint> out) {
        if (in.point != null) {
            accepted.inc();
            out.collect(in.point);
        } else {
            rejected.inc();
            ctx.output(SplitDeadLetters.DEAD_LETTERS, in.deadLetter);
        }
    }
}
