package io.tocsin.ingest;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;

/**
 * One decoded element of an alert source: either an alert or a dead letter, never both. Sources
 * decode while reading so watermarks can be generated per Kafka partition from the alerts' event
 * times; the pipeline then splits the dead letters off.
 */
public class Ingested implements Decoded<Alert> {

    /** The accepted alert, or null. */
    public Alert alert;

    /** The rejected record, or null. */
    public DeadLetter deadLetter;

    /** A heartbeat's Kafka timestamp (nothing else is set), or 0. */
    public long heartbeatAt;

    public Ingested() {}

    public static Ingested of(Alert alert) {
        Ingested i = new Ingested();
        i.alert = alert;
        return i;
    }

    /** A heartbeat written at {@code at} (epoch ms): it only moves event time forward. */
    public static Ingested heartbeat(long at) {
        Ingested i = new Ingested();
        i.heartbeatAt = at;
        return i;
    }

    public static Ingested rejected(DeadLetter deadLetter) {
        Ingested i = new Ingested();
        i.deadLetter = deadLetter;
        return i;
    }

    public boolean isAlert() {
        return alert != null;
    }

    @Override
    public Alert accepted() {
        return alert;
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
        if (heartbeatAt != 0) {
            return "Ingested{heartbeat=" + heartbeatAt + "}";
        }
        return alert != null ? "Ingested{" + alert + "}" : "Ingested{dead=" + deadLetter + "}";
    }
}
