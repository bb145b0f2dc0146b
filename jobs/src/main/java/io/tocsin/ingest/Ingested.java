package io.tocsin.ingest;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;

/**
 * One decoded element of an alert source: an alert, a dead letter or a heartbeat. Sources decode
 * while reading so watermarks can be generated per Kafka partition from the alerts' event times;
 * the ingest stage then splits the dead letters off.
 */
public final class Ingested extends Decoded<Alert> {

    public static Ingested of(Alert value) {
        return withValue(new Ingested(), value);
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static Ingested heartbeat(long at) {
        return withHeartbeat(new Ingested(), at);
    }

    public static Ingested rejected(DeadLetter deadLetter) {
        return withDeadLetter(new Ingested(), deadLetter);
    }
}
