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
        StatusUpdatePolicy statusUpdates,
        ChangesPolicy changes)
        implements Serializable {

    /** A policy with the built-in status updates and the default {@code changes} section. */
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
                StatusUpdatePolicy.defaults(),
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
                ingest,
                severity,
                dedupe,
                rules,
                correlation,
                anomaly,
                escalation,
                statusUpdates,
                changes);
    }

    /** This policy with another escalation policy. */
    public Policy withEscalation(EscalationPolicy e) {
        return new Policy(
                ingest,
                severity,
                dedupe,
                suppression,
                correlation,
                anomaly,
                e,
                statusUpdates,
                changes);
    }

    /** This policy with other change-suspect settings. */
    public Policy withChanges(ChangesPolicy c) {
        return new Policy(
                ingest,
                severity,
                dedupe,
                suppression,
                correlation,
                anomaly,
                escalation,
                statusUpdates,
                c);
    }

    /** This policy with other anomaly settings. */
    public Policy withAnomaly(AnomalyPolicy settings) {
        return new Policy(
                ingest,
                severity,
                dedupe,
                suppression,
                correlation,
                settings,
                escalation,
                statusUpdates,
                changes);
    }

    /** This policy with other status update settings. */
    public Policy withStatusUpdates(StatusUpdatePolicy s) {
        return new Policy(
                ingest,
                severity,
                dedupe,
                suppression,
                correlation,
                anomaly,
                escalation,
                s,
                changes);
    }
}
