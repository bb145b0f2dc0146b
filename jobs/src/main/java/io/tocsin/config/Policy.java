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
        EscalationPolicy escalation,
        ChangesPolicy changes)
        implements Serializable {

    /** A policy with the default {@code changes} section. */
    public Policy(
            IngestPolicy ingest,
            SeverityTable severity,
            DedupePolicy dedupe,
            SuppressionPolicy suppression,
            CorrelationPolicy correlation,
            AnomalyPolicy anomaly,
            EscalationPolicy escalation) {
        this(
                ingest,
                severity,
                dedupe,
                suppression,
                correlation,
                anomaly,
                escalation,
                ChangesPolicy.defaults());
    }

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
        return new Policy(
                ingest, severity, dedupe, rules, correlation, anomaly, escalation, changes);
    }

    /** This policy with another escalation policy. */
    public Policy withEscalation(EscalationPolicy e) {
        return new Policy(ingest, severity, dedupe, suppression, correlation, anomaly, e, changes);
    }

    /** This policy with other change-suspect settings. */
    public Policy withChanges(ChangesPolicy c) {
        return new Policy(
                ingest, severity, dedupe, suppression, correlation, anomaly, escalation, c);
    }

    /** This policy with other anomaly settings. */
    public Policy withAnomaly(AnomalyPolicy settings) {
        return new Policy(
                ingest, severity, dedupe, suppression, correlation, settings, escalation, changes);
    }
}
