package io.tocsin.ingest;

import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;

/**
 * One decoded element of an alert source: either an alert or a dead letter, never both. Sources
 * decode while reading so watermarks can be generated per Kafka partition from the alerts' event
 * times; the pipeline then splits the dead letters off.
 */
public class Ingested {

    /** The accepted alert, or null. */
    public Alert alert;

    /** The rejected record, or null. */
    public DeadLetter deadLetter;

    public Ingested() {}

    public static Ingested of(Alert alert) {
        Ingested i = new Ingested();
        i.alert = alert;
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
    public String toString() {
        return alert != null ? "Ingested{" + alert + "}" : "Ingested{dead=" + deadLetter + "}";
    }
}
