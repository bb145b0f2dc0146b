package io.tocsin.config;

import java.io.Serializable;

/** Everything the policy file decides, parsed once at start into immutable values. */
public record Policy(
        IngestPolicy ingest,
        SeverityTable severity,
        DedupePolicy dedupe,
        SuppressionPolicy suppression,
        CorrelationPolicy correlation,
        AnomalyPolicy anomaly,
        EscalationPolicy escalation)
        implements Serializable {

    public static Policy defaults() {
        return new Policy(
                IngestPolicy.defaults(),
                SeverityTable.defaults(),
                DedupePolicy.defaults(),
                SuppressionPolicy.none(),
                CorrelationPolicy.defaults(),
                AnomalyPolicy.defaults(),
                EscalationPolicy.defaults());
    }

    /** This policy with other suppression rules. */
    public Policy withSuppression(SuppressionPolicy rules) {
        return new Policy(ingest, severity, dedupe, rules, correlation, anomaly, escalation);
    }

    /** This policy with another escalation policy. */
    public Policy withEscalation(EscalationPolicy e) {
        return new Policy(ingest, severity, dedupe, suppression, correlation, anomaly, e);
    }

    /** This policy with other anomaly settings. */
    public Policy withAnomaly(AnomalyPolicy settings) {
        return new Policy(ingest, severity, dedupe, suppression, correlation, settings, escalation);
    }
}
