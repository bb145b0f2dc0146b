package io.tocsin.dedupe;

import io.tocsin.avro.Alert;
import io.tocsin.config.DedupePolicy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The dedupe stage of DESIGN.md: alerts keyed by fingerprint through one {@link AlertDeduplicator};
 * only FIRING/RESOLVED transitions come out. Operator uids are stable: never change them.
 */
public final class Deduplication {

    private Deduplication() {}

    public static DataStream<Alert> apply(DataStream<Alert> alerts, DedupePolicy policy) {
        return alerts.keyBy(new ByFingerprint())
                .process(new AlertDeduplicator(policy))
                .name("dedupe")
                .uid("dedupe");
    }

    /** Key of the dedupe stage. */
    public static final class ByFingerprint implements KeySelector<Alert, String> {
        @Override
        public String getKey(Alert a) {
            return a.getFingerprint();
        }
    }
}
