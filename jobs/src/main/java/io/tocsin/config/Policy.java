package io.tocsin.config;

import io.tocsin.anomaly.AnomalyPolicy;
import java.io.Serializable;

/** Everything the policy file decides, parsed once at start into immutable values. */
public record Policy(
        IngestPolicy ingest,
        SeverityTable severity,
        DedupePolicy dedupe,
        SuppressionPolicy suppression,
        CorrelationPolicy correlation,
        AnomalyPolicy anomaly)
        implements Serializable {

    public static Policy defaults() {
        return new Policy(
                IngestPolicy.defaults(),
                SeverityTable.defaults(),
                DedupePolicy.defaults(),
                SuppressionPolicy.none(),
                CorrelationPolicy.defaults(),
                AnomalyPolicy.defaults());
    }

    /** This policy with other suppression rules. */
    public Policy withSuppression(SuppressionPolicy rules) {
        return new Policy(ingest, severity, dedupe, rules, correlation, anomaly);
    }

    /** This policy with other anomaly settings. */
    public Policy withAnomaly(AnomalyPolicy settings) {
        return new Policy(ingest, severity, dedupe, suppression, correlation, settings);
    }
}
