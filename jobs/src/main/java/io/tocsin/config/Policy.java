package io.tocsin.config;

import java.io.Serializable;

/** Everything the policy file decides, parsed once at start into immutable values. */
public record Policy(
        IngestPolicy ingest,
        SeverityTable severity,
        DedupePolicy dedupe,
        CorrelationPolicy correlation)
        implements Serializable {

    public static Policy defaults() {
        return new Policy(
                IngestPolicy.defaults(),
                SeverityTable.defaults(),
                DedupePolicy.defaults(),
                CorrelationPolicy.defaults());
    }
}
