package io.tocsin.config;

import java.io.Serializable;

/** Everything the policy file decides, parsed once at start into immutable values. */
public record Policy(
        IngestPolicy ingest,
        SeverityTable severity,
        DedupePolicy dedupe,
        SuppressionPolicy suppression,
        CorrelationPolicy correlation)
        implements Serializable {

    public static Policy defaults() {
        return new Policy(
                IngestPolicy.defaults(),
                SeverityTable.defaults(),
                DedupePolicy.defaults(),
                SuppressionPolicy.none(),
                CorrelationPolicy.defaults());
    }

    /** This policy with other suppression rules. */
    public Policy withSuppression(SuppressionPolicy rules) {
        return new Policy(ingest, severity, dedupe, rules, correlation);
    }
}
