package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.config.CorrelationPolicy;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Key of the correlate stage: the alert's partition (the value of {@code partitionLabel}, such as a
 * tenant), the unit of scale-out. Alerts of one partition meet in one key whatever their domain
 * label, so a dependency from one domain into another (a shared database in its own cluster) is
 * followed; the domain still keeps alerts apart inside the key unless such a dependency links them.
 * Alerts of two partitions never correlate.
 */
public final class CorrelationKey implements KeySelector<Alert, String> {

    private final String label;
    private final String fallback;

    public CorrelationKey(CorrelationPolicy policy) {
        this.label = policy.partitionLabel();
        this.fallback = policy.defaultDomain();
    }

    @Override
    public String getKey(Alert a) {
        return of(a, label, fallback);
    }

    /** The partition of {@code a}: its {@code label} value, or {@code fallback}. */
    public static String of(Alert a, String label, String fallback) {
        if (label == null || label.isEmpty()) {
            return fallback;
        }
        String v = a.getLabels().get(label);
        return v == null || v.isBlank() ? fallback : v;
    }
}
