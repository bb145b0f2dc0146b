package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How alerts are grouped into incidents.
 *
 * @param domainLabel label whose value is the correlation domain (the unit of scale-out)
 * @param defaultDomain domain of alerts without that label
 * @param groupGap a topology or label-rule link joins an incident only if the incident saw activity
 *     within this long; the same service always joins while the incident is open
 * @param quietPeriod an incident whose alerts all resolved is RESOLVED after this much quiet
 * @param maxIncidentAge an incident still open after this long is closed (bound on state)
 * @param topologyHops an alert on a service within this many dependency hops (either way) of a
 *     service in an incident joins it (the services between may be silent); nearer links win
 * @param reopenWindow a member alert firing again within this long after its incident resolved
 *     reopens it; later, it opens a new incident linked by recurrenceOf
 * @param recurrenceRetention how long resolved incidents are remembered for recurrence links
 * @param labelRules alerts whose labels are equal on all of a rule's labels join one incident
 * @param linkWindow a topology or label link needs the two alerts to start within this long of each
 *     other (faults propagate along dependencies within minutes)
 */
public record CorrelationPolicy(
        String domainLabel,
        String defaultDomain,
        Duration groupGap,
        Duration quietPeriod,
        Duration maxIncidentAge,
        int topologyHops,
        Duration reopenWindow,
        Duration recurrenceRetention,
        List<LabelRule> labelRules,
        Duration linkWindow,
        Duration causalitySlack,
        Duration cascadeWindow)
        implements Serializable {

    /** A label rule: alerts with equal values of all {@code equal} labels belong together. */
    public record LabelRule(String name, List<String> equal) implements Serializable {
        public LabelRule {
            equal = List.copyOf(equal);
        }
    }

    public CorrelationPolicy {
        labelRules = List.copyOf(labelRules);
    }

    public static CorrelationPolicy defaults() {
        return new CorrelationPolicy(
                "cluster",
                "default",
                Duration.ofMinutes(10),
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                2,
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                List.of(),
                Duration.ofMinutes(4),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10));
    }
}
