package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How alerts are grouped into incidents.
 *
 * @param domainLabel label whose value is the correlation domain (the unit of scale-out)
 * @param defaultDomain domain of alerts without that label
 * @param groupGap an incident stays open to new alerts this long after its last activity
 * @param quietPeriod an incident whose alerts all resolved is RESOLVED after this much quiet
 * @param maxIncidentAge an incident still open after this long is evicted from state (bound)
 */
public record CorrelationPolicy(
        String domainLabel,
        String defaultDomain,
        Duration groupGap,
        Duration quietPeriod,
        Duration maxIncidentAge)
        implements Serializable {

    public static CorrelationPolicy defaults() {
        return new CorrelationPolicy(
                "cluster",
                "default",
                Duration.ofMinutes(10),
                Duration.ofMinutes(5),
                Duration.ofDays(7));
    }
}
