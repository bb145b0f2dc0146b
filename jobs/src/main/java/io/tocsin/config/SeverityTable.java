package io.tocsin.config;

import io.tocsin.avro.Severity;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the severities sources use (critical, P1, sev2, 4, ...) onto Tocsin's levels. Keys are
 * matched case-insensitively; the first of {@code labels} present on an alert is used.
 *
 * @param labels label names that carry the source severity, in order of preference
 * @param mapping lower-cased source value to Tocsin level
 * @param fallback level for a missing or unmapped value
 */
public record SeverityTable(List<String> labels, Map<String, Severity> mapping, Severity fallback)
        implements Serializable {

    public SeverityTable {
        labels = List.copyOf(labels);
        mapping = Map.copyOf(mapping);
    }

    public Severity normalise(Map<String, String> alertLabels) {
        for (String l : labels) {
            String v = alertLabels.get(l);
            if (v != null) {
                Severity s = mapping.get(v.trim().toLowerCase(Locale.ROOT));
                return s != null ? s : fallback;
            }
        }
        return fallback;
    }

    /** The table used when the policy gives none: common Prometheus, PagerDuty and sev-n names. */
    public static SeverityTable defaults() {
        return new SeverityTable(
                List.of("severity", "priority"),
                Map.ofEntries(
                        Map.entry("critical", Severity.SEV1),
                        Map.entry("page", Severity.SEV1),
                        Map.entry("error", Severity.SEV2),
                        Map.entry("high", Severity.SEV2),
                        Map.entry("major", Severity.SEV2),
                        Map.entry("warning", Severity.SEV3),
                        Map.entry("warn", Severity.SEV3),
                        Map.entry("medium", Severity.SEV3),
                        Map.entry("minor", Severity.SEV3),
                        Map.entry("info", Severity.SEV4),
                        Map.entry("low", Severity.SEV4),
                        Map.entry("none", Severity.SEV4),
                        Map.entry("p1", Severity.SEV1),
                        Map.entry("p2", Severity.SEV2),
                        Map.entry("p3", Severity.SEV3),
                        Map.entry("p4", Severity.SEV4),
                        Map.entry("p5", Severity.SEV4),
                        Map.entry("sev1", Severity.SEV1),
                        Map.entry("sev2", Severity.SEV2),
                        Map.entry("sev3", Severity.SEV3),
                        Map.entry("sev4", Severity.SEV4),
                        Map.entry("1", Severity.SEV1),
                        Map.entry("2", Severity.SEV2),
                        Map.entry("3", Severity.SEV3),
                        Map.entry("4", Severity.SEV4),
                        Map.entry("5", Severity.SEV4)),
                Severity.SEV3);
    }
}
