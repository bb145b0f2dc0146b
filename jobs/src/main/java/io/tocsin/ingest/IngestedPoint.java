package io.tocsin.ingest;

import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.MetricPoint;

/** One decoded element of a telemetry source: a point, a dead letter or a heartbeat. */
public final class IngestedPoint extends Decoded<MetricPoint> {

    public static IngestedPoint of(MetricPoint value) {
        return withValue(new IngestedPoint(), value);
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static IngestedPoint heartbeat(long at) {
        return withHeartbeat(new IngestedPoint(), at);
    }

    public static IngestedPoint rejected(DeadLetter deadLetter) {
        return withDeadLetter(new IngestedPoint(), deadLetter);
    }
}
