package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How alerts are grouped into incidents.
 *
 * @param domainLabel label whose value is the correlation domain (a cluster, a region): alerts of
 *     two domains are linked only along a dependency that crosses domains (see {@code
 *     crossDomainLinks})
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
 * @param causalitySlack a victim's alert may start this much before its dependency's (delivery and
 *     evaluation delays)
 * @param cascadeWindow a topology or label link needs the alert to start within this long of the
 *     incident's first alert
 * @param partitionLabel label whose values never correlate with each other (tenants); its value is
 *     the key of the correlate stage, the unit of scale-out. Empty: one partition
 * @param crossDomainLinks whether a dependency from a service in one domain to a service that runs
 *     only in another is followed (a shared database in one cluster, its callers in others)
 * @param learning links learned from alert co-occurrence
 * @param meshCalls label pairs naming caller and callee on service-mesh request metrics
 *     (telemetry); each observed pair is a dependency
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
        Duration cascadeWindow,
        String partitionLabel,
        boolean crossDomainLinks,
        Learning learning,
        List<MeshCallLabels> meshCalls)
        implements Serializable {

    /**
     * Learning which services fail together from the alerts themselves: two services whose alert
     * bursts start within {@code window} of each other, at least {@code minSupport} times and in at
     * least {@code minConfidence} of the rarer one's bursts, are linked; when one of them started
     * first in at least 3 of 4 such bursts it is taken as the other's dependency.
     *
     * @param enabled whether to learn at all
     * @param window two bursts start within this long of each other to count as co-occurring
     * @param burstGap a service's alert starting this long after its previous one starts a new
     *     burst
     * @param minSupport co-occurrences needed for a link
     * @param minConfidence share of the rarer service's bursts that co-occurred
     * @param maxPairs pairs counted per partition at most (the least recently seen are dropped)
     * @param retention a pair or service not seen this long is forgotten
     */
    public record Learning(
            boolean enabled,
            Duration window,
            Duration burstGap,
            int minSupport,
            double minConfidence,
            int maxPairs,
            Duration retention)
            implements Serializable {

        public static Learning defaults() {
            return new Learning(
                    true,
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(10),
                    4,
                    0.7,
                    10_000,
                    Duration.ofDays(14));
        }
    }

    /** Label names of the caller and the callee on a service-mesh request metric. */
    public record MeshCallLabels(String caller, String callee) implements Serializable {}

    /** The defaults for the newer settings, for the older constructor. */
    public CorrelationPolicy(
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
            Duration cascadeWindow) {
        this(
                domainLabel,
                defaultDomain,
                groupGap,
                quietPeriod,
                maxIncidentAge,
                topologyHops,
                reopenWindow,
                recurrenceRetention,
                labelRules,
                linkWindow,
                causalitySlack,
                cascadeWindow,
                "",
                true,
                Learning.defaults(),
                defaultMeshCalls());
    }

    /** Istio/Envoy workload labels, and Tempo/Grafana service-graph metrics. */
    public static List<MeshCallLabels> defaultMeshCalls() {
        return List.of(
                new MeshCallLabels("source_workload", "destination_workload"),
                new MeshCallLabels("client", "server"));
    }

    /** A label rule: alerts with equal values of all {@code equal} labels belong together. */
    public record LabelRule(String name, List<String> equal) implements Serializable {
        public LabelRule {
            equal = List.copyOf(equal);
        }
    }

    public CorrelationPolicy {
        labelRules = List.copyOf(labelRules);
        meshCalls = List.copyOf(meshCalls);
    }

    /**
     * The correlation domain of an alert with these labels: the {@code domainLabel}'s value, or
     * {@code defaultDomain} when it is missing or blank (the key of the suppress stage).
     */
    public String domainOf(java.util.Map<String, String> labels) {
        String d = labels.get(domainLabel);
        return d == null || d.isBlank() ? defaultDomain : d;
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
