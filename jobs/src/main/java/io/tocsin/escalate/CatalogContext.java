package io.tocsin.escalate;

import io.tocsin.config.Catalog;
import io.tocsin.config.Durations;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.Topology;
import io.tocsin.escalate.page.Pages;
import io.tocsin.evidence.EvidenceKeys;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the service catalog and the topology say about an incident: the facts its escalation chain
 * is chosen by, and the context an ESCALATED event (and so its page) carries under {@link
 * Pages#CATALOG_PREFIX}: runbooks, the upstream and downstream services beyond its members, owner
 * team, customer tier, region, schedule and vendor. With an empty catalog there is no context, so
 * pages stay as they were without one.
 */
final class CatalogContext implements Serializable {

    /** Member alerts' runbooks remembered per incident (each at most 2 KB: 16 KB at worst). */
    static final int MAX_ALERT_RUNBOOKS = 8;

    /** Upstream and downstream services named on a page, each. */
    static final int MAX_NEIGHBOURS = 20;

    static final String RUNBOOKS = Pages.CATALOG_PREFIX + "runbooks";
    static final String UPSTREAM = Pages.CATALOG_PREFIX + "upstream";
    static final String DOWNSTREAM = Pages.CATALOG_PREFIX + "downstream";
    static final String OWNER_TEAM = Pages.CATALOG_PREFIX + "ownerTeam";
    static final String CUSTOMER_TIER = Pages.CUSTOMER_TIER;
    static final String REGION = Pages.CATALOG_PREFIX + "region";
    static final String SCHEDULE = Pages.CATALOG_PREFIX + "schedule";
    static final String VENDOR = Pages.CATALOG_PREFIX + "vendor";
    static final String VENDOR_SLA = Pages.CATALOG_PREFIX + "vendorResponseSla";

    private final Catalog catalog;
    private final Topology topology;

    CatalogContext(Catalog catalog, Topology topology) {
        this.catalog = catalog;
        this.topology = topology;
    }

    /** Remembers the runbook of the member alert an incident event is about, if it has one. */
    static void remember(EscalationState st, Map<String, String> evidence) {
        String runbook = evidence == null ? null : evidence.get(EvidenceKeys.ALERT_RUNBOOK);
        if (runbook != null
                && !st.runbooks.contains(runbook)
                && st.runbooks.size() < MAX_ALERT_RUNBOOKS) {
            st.runbooks.add(runbook);
        }
    }

    /** The facts a chain is chosen by; teams from the topology and the catalog. */
    EscalationPolicy.RoutingFacts facts(EscalationState st) {
        Set<String> teams = new TreeSet<>();
        Set<String> customerTiers = new TreeSet<>();
        Set<String> regions = new TreeSet<>();
        Set<String> serviceTiers = new TreeSet<>();
        for (String s : st.services) {
            Topology.Service svc = topology.services().get(s);
            if (svc != null && svc.team() != null) {
                teams.add(svc.team());
            }
            Optional<Catalog.Service> entry = catalog.service(s);
            entry.map(Catalog.Service::team).ifPresent(teams::add);
            entry.map(Catalog.Service::customerTier).ifPresent(customerTiers::add);
            entry.map(Catalog.Service::region).ifPresent(regions::add);
            String tier = entry.map(Catalog.Service::tier).orElse(svc == null ? null : svc.tier());
            if (tier != null) {
                serviceTiers.add(tier);
            }
        }
        // The root cause's chain first: its team owns the fix.
        List<String> services = new ArrayList<>();
        if (st.rootCause != null) {
            services.add(st.rootCause);
        }
        services.addAll(st.services);
        return new EscalationPolicy.RoutingFacts(
                services, teams, st.severity(), customerTiers, regions, serviceTiers);
    }

    /** Adds the incident's catalog context to an ESCALATED event's evidence (none: no catalog). */
    void addTo(EscalationState st, Map<String, String> evidence) {
        if (catalog.isEmpty()) {
            return;
        }
        List<String> order = new ArrayList<>();
        if (st.rootCause != null) {
            order.add(st.rootCause);
        }
        for (String s : new TreeSet<>(st.services)) {
            if (!order.contains(s)) {
                order.add(s);
            }
        }
        Set<String> runbooks = new LinkedHashSet<>();
        for (String s : order) {
            catalog.service(s).map(Catalog.Service::runbook).ifPresent(runbooks::add);
        }
        runbooks.addAll(new TreeSet<>(st.runbooks));
        put(evidence, RUNBOOKS, String.join(" ", runbooks));
        Set<String> members = new TreeSet<>(st.services);
        Set<String> up = new TreeSet<>();
        Set<String> down = new TreeSet<>();
        for (String s : members) {
            up.addAll(topology.dependents(s));
            down.addAll(topology.dependencies(s));
        }
        up.removeAll(members);
        down.removeAll(members);
        put(evidence, UPSTREAM, names(up));
        put(evidence, DOWNSTREAM, names(down));
        put(evidence, OWNER_TEAM, first(order, Catalog.Service::team));
        put(evidence, CUSTOMER_TIER, first(order, Catalog.Service::customerTier));
        put(evidence, REGION, first(order, Catalog.Service::region));
        put(evidence, SCHEDULE, first(order, Catalog.Service::schedule));
        put(evidence, VENDOR, first(order, s -> s.vendor() == null ? null : s.vendor().name()));
        put(
                evidence,
                VENDOR_SLA,
                first(
                        order,
                        s ->
                                s.vendor() == null || s.vendor().responseSla() == null
                                        ? null
                                        : Durations.format(s.vendor().responseSla())));
    }

    /** The first catalogued value among {@code order} (root cause first, then by name). */
    private String first(List<String> order, Function<Catalog.Service, String> field) {
        for (String s : order) {
            String v = catalog.service(s).map(field).orElse(null);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String names(Set<String> services) {
        List<String> l = new ArrayList<>(services);
        if (l.size() > MAX_NEIGHBOURS) {
            int more = l.size() - MAX_NEIGHBOURS;
            l = new ArrayList<>(l.subList(0, MAX_NEIGHBOURS));
            l.add("+" + more + " more");
        }
        return String.join(",", l);
    }

    private static void put(Map<String, String> evidence, String key, String value) {
        if (value != null && !value.isEmpty()) {
            evidence.put(key, value);
        }
    }
}
