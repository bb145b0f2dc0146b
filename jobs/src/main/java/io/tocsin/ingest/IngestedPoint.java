package io.tocsin.ingest;

import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.MetricPoint;

/** One decoded element of a telemetry source: a point or a dead letter, never both. */
public class IngestedPoint implements Decoded<MetricPoint> {

    /** The accepted point, or null. */
    public MetricPoint point;

    /** The rejected record, or null. */
    public DeadLetter deadLetter;

    /** A heartbeat's Kafka timestamp (nothing else is set), or 0. */
    public long heartbeatAt;

    public IngestedPoint() {}

    public static IngestedPoint of(MetricPoint point) {
        IngestedPoint i = new IngestedPoint();
        i.point = point;
        return i;
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static IngestedPoint heartbeat(long at) {
        IngestedPoint i = new IngestedPoint();
        i.heartbeatAt = at;
        return i;
    }

    public static IngestedPoint rejected(DeadLetter deadLetter) {
        IngestedPoint i = new IngestedPoint();
        i.deadLetter = deadLetter;
        return i;
    }

    @Override
    public MetricPoint accepted() {
        return point;
    }

    @Override
    public DeadLetter rejected() {
        return deadLetter;
    }

    @Override
    public long heartbeat() {
        return heartbeatAt;
    }

    @Override
    public String toString() {
        return point != null
                ? "IngestedPoint{" + point + "}"
                : "IngestedPoint{dead=" + deadLetter + "}";
    }
}
