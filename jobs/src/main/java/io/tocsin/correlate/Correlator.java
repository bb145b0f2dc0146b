package io.tocsin.correlate;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Durations;
import io.tocsin.config.SeverityScale;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Decides, for each alert transition of one correlation domain, which incident it belongs to and
 * what changes: an alert joins an open incident it is linked to (same service; a service within
 * {@code topologyHops} of one in the incident, as its victim or its cause; a policy label rule),
 * opens a new one when it is linked to none, and when it is linked to several either picks the
 * likeliest or merges them (see {@link #choose}; the smaller ones emit MERGED and move into the
 * largest). A member firing again shortly after its incident resolved reopens it; later it opens a
 * new incident with {@code recurrenceOf}. Plain logic: time, state and the topology are parameters;
 * {@code timers} receives the event times at which {@link #onTime} has work.
 */
public final class Correlator {

    private final CorrelationPolicy policy;

    public Correlator(CorrelationPolicy policy) {
        this.policy = policy;
    }

    /** The correlation domain of an alert (the key of the suppress and correlate stages). */
    public static String domainOf(Alert a, CorrelationPolicy policy) {
        return policy.domainOf(a.getLabels());
    }

    /** The domain of a member alert, from the labels it joined with. */
    String domainOf(MemberAlert m) {
        return policy.domainOf(m.labels);
    }

    /**
     * Handles one transition of the partition at event time {@code t}: the incidents it changes, as
     * events, and what {@code links} learns from it (where its service runs, what it fails with).
     */
    public void onAlert(
            IncidentStore store,
            DependencyLinks links,
            Alert a,
            long t,
            LongConsumer timers,
            List<IncidentEvent> out)
            throws Exception {
        if (a.getStatus() == AlertStatus.FIRING) {
            onFiring(store, links, domainOf(a, policy), a, t, timers, out);
            links.memory()
                    .observe(
                            a.getService(),
                            domainOf(a, policy),
                            a.getStartsAt().toEpochMilli(),
                            policy.learning(),
                            (x, y) ->
                                    links.dependsOnWithin(x, y, 1) != null
                                            || links.dependsOnWithin(y, x, 1) != null);
        } else {
            onResolved(store, links, a, t, timers, out);
        }
    }

    private void onFiring(
            IncidentStore store,
            DependencyLinks topology,
            String domain,
            Alert a,
            long t,
            LongConsumer timers,
            List<IncidentEvent> out)
            throws Exception {
        String fp = a.getFingerprint();
        Comparator<IncidentState> oldestFirst =
                Comparator.comparingLong((IncidentState s) -> s.openedAtMillis)
                        .thenComparing(s -> s.incidentId);
        List<IncidentState> withMember = new ArrayList<>(store.openWithMember(fp));
        withMember.sort(oldestFirst);
        for (IncidentState s : withMember) {
            MemberAlert m = s.member(fp);
            if (m != null && (m.active || recentlyResolved(m, t))) {
                if (!m.active) {
                    m.active = true;
                    m.resolvedAtMillis = -1;
                    touch(s, t);
                    Map<String, String> ev = evidence("member-fired-again");
                    out.add(
                            IncidentEvents.next(
                                    s,
                                    IncidentEventType.ALERT_ADDED,
                                    t,
                                    a,
                                    ev,
                                    "a member alert fired again"));
                    afterChange(s, topology, a, t, out);
                    store.save(s);
                }
                return;
            }
        }
        IncidentState previous = store.resolvedWith(fp);
        if (previous != null && t - previous.resolvedAtMillis <= policy.reopenWindow().toMillis()) {
            previous.resolvedAtMillis = -1;
            MemberAlert m = previous.member(fp);
            m.active = true;
            touch(previous, t);
            Map<String, String> ev = evidence("reopen-window");
            ev.put("reopenWindow", Durations.format(policy.reopenWindow()));
            out.add(
                    IncidentEvents.next(
                            previous,
                            IncidentEventType.REOPENED,
                            t,
                            a,
                            ev,
                            "a member alert fired again soon after the incident resolved"));
            afterChange(previous, topology, a, t, out);
            store.save(previous);
            timers.accept(previous.openedAtMillis + policy.maxIncidentAge().toMillis());
            return;
        }
        // Only incidents with a member on a service this alert can link to (the same one, or one
        // related in the topology) can take it, unless a label rule may link any two alerts.
        List<IncidentState> candidates =
                new ArrayList<>(
                        policy.labelRules().isEmpty()
                                ? store.openTouching(linkable(a, topology))
                                : store.open());
        candidates.sort(oldestFirst);
        List<Link> links = new ArrayList<>();
        for (IncidentState s : candidates) {
            Link l = link(a, s, t, topology);
            if (l != null) {
                links.add(l);
            }
        }
        List<IncidentState> linked = choose(links);
        List<String> reasons = new ArrayList<>();
        for (Link l : links) {
            reasons.add(l.incident().incidentId + ":" + l.reason());
        }
        Link chosen = null;
        if (linked.isEmpty()) {
            IncidentState s = open(domain, a, t, previous);
            Map<String, String> ev = evidence("no-linked-incident");
            if (previous != null) {
                ev.put("recurrenceOf", previous.incidentId);
            }
            s.rootCause = RootCauseRanker.rank(s, topology).service();
            s.title = title(s);
            out.add(
                    IncidentEvents.next(
                            s,
                            IncidentEventType.OPENED,
                            t,
                            a,
                            ev,
                            previous == null
                                    ? "first alert of a new incident"
                                    : "recurrence of " + previous.incidentId));
            store.save(s);
            timers.accept(s.openedAtMillis + policy.maxIncidentAge().toMillis());
            return;
        }
        // The incident with the most alerts survives (the least churn for responders); on a tie,
        // the older one.
        IncidentState survivor = linked.get(0);
        for (IncidentState c : linked) {
            if (c.members.size() > survivor.members.size()) {
                survivor = c;
            }
        }
        for (Link l : links) {
            if (l.incident() == survivor) {
                chosen = l;
            }
        }
        for (IncidentState younger : linked) {
            if (younger == survivor) {
                continue;
            }
            merge(younger, survivor, a, t, out);
            store.delete(younger);
        }
        MemberAlert m = survivor.member(a.getFingerprint());
        if (m == null) {
            m = member(a);
            survivor.members.add(m);
        } else {
            // A member that fired long ago rejoins through another link: one entry per alert,
            // or its next resolve would find the stale entry and be lost.
            m.active = true;
            m.resolvedAtMillis = -1;
        }
        touch(survivor, t);
        survivor.firstAlertAtMillis = Math.min(survivor.firstAlertAtMillis, m.startsAtMillis);
        Map<String, String> ev =
                evidence(
                        linked.size() > 1
                                ? "linked-several:merged"
                                : links.size() > 1 ? "linked-several:chose-one" : "linked");
        ev.put("links", String.join(" ", reasons));
        if (chosen != null && chosen.origin() != null) {
            ev.put("link.origin", chosen.origin().label());
        }
        if (chosen != null && chosen.crossDomain() != null) {
            ev.put("link.crossDomain", chosen.crossDomain());
        }
        out.add(
                IncidentEvents.next(
                        survivor,
                        IncidentEventType.ALERT_ADDED,
                        t,
                        a,
                        ev,
                        "alert linked to this incident"));
        afterChange(survivor, topology, a, t, out);
        store.save(survivor);
    }

    private void onResolved(
            IncidentStore store,
            DependencyLinks topology,
            Alert a,
            long t,
            LongConsumer timers,
            List<IncidentEvent> out)
            throws Exception {
        List<IncidentState> withMember = new ArrayList<>(store.openWithMember(a.getFingerprint()));
        withMember.sort(Comparator.comparing(s -> s.incidentId));
        for (IncidentState s : withMember) {
            MemberAlert m = s.member(a.getFingerprint());
            if (m != null && m.active) {
                m.active = false;
                m.resolvedAtMillis = t;
                s.lastActivityMillis = t;
                if (s.activeCount() == 0) {
                    s.quietSinceMillis = t;
                    timers.accept(t + policy.quietPeriod().toMillis());
                }
                out.add(
                        IncidentEvents.next(
                                s,
                                IncidentEventType.ALERT_RESOLVED,
                                t,
                                a,
                                evidence("alert-resolved"),
                                "alert resolved"));
                store.save(s);
                return;
            }
        }
    }

    /**
     * Resolves quiet incidents, closes over-age ones and forgets old resolved ones at {@code t}.
     */
    public void onTime(IncidentStore store, long t, LongConsumer timers, List<IncidentEvent> out)
            throws Exception {
        List<IncidentState> open = new ArrayList<>(store.openDueBy(t, this::dueAt));
        open.sort(Comparator.comparing(s -> s.incidentId));
        for (IncidentState s : open) {
            long quietDue =
                    s.quietSinceMillis < 0
                            ? Long.MAX_VALUE
                            : s.quietSinceMillis + policy.quietPeriod().toMillis();
            long ageDue = s.openedAtMillis + policy.maxIncidentAge().toMillis();
            if (quietDue <= t) {
                resolve(
                        s,
                        quietDue,
                        "all-alerts-resolved",
                        "all alerts resolved and quiet for "
                                + Durations.format(policy.quietPeriod()),
                        out);
            } else if (ageDue <= t) {
                for (MemberAlert m : s.members) {
                    m.active = false;
                }
                resolve(
                        s,
                        ageDue,
                        "max-incident-age",
                        "open longer than maxIncidentAge; closed to bound state",
                        out);
            } else {
                continue;
            }
            store.save(s);
            timers.accept(s.resolvedAtMillis + retention());
        }
        store.evictResolvedBefore(t - retention());
    }

    /**
     * When {@link #onTime} has work for an open incident: it resolves once quiet for {@code
     * quietPeriod}, or closes at {@code maxIncidentAge}.
     */
    long dueAt(IncidentState s) {
        long quietDue =
                s.quietSinceMillis < 0
                        ? Long.MAX_VALUE
                        : s.quietSinceMillis + policy.quietPeriod().toMillis();
        return Math.min(quietDue, s.openedAtMillis + policy.maxIncidentAge().toMillis());
    }

    private long retention() {
        return Math.max(policy.reopenWindow().toMillis(), policy.recurrenceRetention().toMillis());
    }

    private void resolve(
            IncidentState s, long at, String rule, String reason, List<IncidentEvent> out) {
        s.resolvedAtMillis = at;
        s.quietSinceMillis = -1;
        Map<String, String> ev = evidence(rule);
        out.add(IncidentEvents.next(s, IncidentEventType.RESOLVED, at, null, ev, reason));
    }

    /**
     * How an alert is linked to an open incident, strongest first: its service already alerts
     * there; it is explained there (a victim of a member); it explains a member there (a cause); a
     * label rule.
     */
    enum LinkKind {
        /** A live member alerts on the alert's own service. */
        SAME_SERVICE,
        /** The alert's service depends on a member's: it may be that member's victim. */
        VICTIM,
        /** The alert's service is a dependency of a member's: it may be that member's cause. */
        CAUSE,
        /** Learned to fail together with a member's service, no direction known. */
        CO_FAILING,
        /** A policy label rule. */
        LABEL_RULE
    }

    /**
     * The strongest reason an alert belongs with one incident.
     *
     * @param kind what links them
     * @param hops dependency hops between the alert's service and the member's (0 without topology)
     * @param reason for the event's evidence, e.g. {@code topology:victim-of:users-pg:2-hop}
     * @param origin where the dependency behind a topology-like link comes from, else null
     * @param crossDomain "from->to" when the link crosses domains, else null
     */
    record Link(
            IncidentState incident,
            LinkKind kind,
            int hops,
            String reason,
            DependencyLinks.Origin origin,
            String crossDomain) {
        Link(IncidentState incident, LinkKind kind, int hops, String reason) {
            this(incident, kind, hops, reason, null, null);
        }
    }

    /**
     * The incidents an alert goes into, given its links to the open ones (oldest first); when there
     * are several they merge.
     *
     * <ul>
     *   <li>An alert that is only a victim (its service calls failing services) is explained by any
     *       one of them and does not tie them together: it joins the nearest in the graph, among
     *       equally near ones the incident with the most alerts (the failure with the most
     *       evidence, and the one a merge would keep), then the one whose fault started first.
     *   <li>An alert on a service that already alerts in an incident with other services joins it
     *       and pulls in none of the incidents it is a victim of: its service's problem is already
     *       placed in a chain. An incident of that service alone is no such chain: a victim link
     *       explains it, and they merge.
     *   <li>An alert that may be the cause of a member, or that a label rule links, ties that
     *       incident to the others it is linked to (the missing link of a cascade): they merge.
     * </ul>
     */
    static List<IncidentState> choose(List<Link> links) {
        List<IncidentState> out = new ArrayList<>();
        Link victim = null;
        boolean placed = false;
        for (Link l : links) {
            if (l.kind() == LinkKind.VICTIM || l.kind() == LinkKind.CO_FAILING) {
                if (victim == null || explainsBetter(l, victim)) {
                    victim = l;
                }
            } else {
                out.add(l.incident());
                placed |= l.kind() == LinkKind.SAME_SERVICE && l.incident().services().size() > 1;
            }
        }
        if (victim != null && !placed) {
            out.add(victim.incident());
        }
        out.sort(
                Comparator.comparingLong((IncidentState s) -> s.openedAtMillis)
                        .thenComparing(s -> s.incidentId));
        return out;
    }

    /** Of two victim links, whether {@code l} is the likelier explanation of the alert. */
    private static boolean explainsBetter(Link l, Link than) {
        if (l.hops() != than.hops()) {
            return l.hops() < than.hops();
        }
        IncidentState a = l.incident();
        IncidentState b = than.incident();
        if (a.members.size() != b.members.size()) {
            return a.members.size() > b.members.size();
        }
        if (a.firstAlertAtMillis != b.firstAlertAtMillis) {
            return a.firstAlertAtMillis < b.firstAlertAtMillis;
        }
        return a.incidentId.compareTo(b.incidentId) < 0;
    }

    /**
     * The service keys of members an alert could link to without a label rule: its own service (or
     * alertname, without a service), and with a known topology the services within {@code
     * topologyHops} either way or learned to fail with it. Exactly the members {@link #link} can
     * return a link for (it checks the rest).
     */
    private java.util.function.Predicate<String> linkable(Alert a, DependencyLinks topology) {
        String svc = a.getService();
        String own = MemberAlert.serviceKey(svc, a.getLabels().get("alertname"));
        int hops = policy.topologyHops();
        boolean topo = svc != null && hops > 0 && topology.knows(svc);
        return key -> {
            if (key.equals(own)) {
                return true;
            }
            if (!topo || key.startsWith(MemberAlert.ALERTNAME_KEY)) {
                return false;
            }
            return topology.dependsOnWithin(svc, key, hops) != null
                    || topology.dependsOnWithin(key, svc, hops) != null
                    || topology.coFailing(svc, key);
        };
    }

    /** The strongest link of {@code a} to {@code s}, or null when it does not belong there. */
    Link link(Alert a, IncidentState s, long t, DependencyLinks topology) {
        String svc = a.getService();
        String domain = domainOf(a, policy);
        for (MemberAlert m : s.members) {
            boolean live = m.active || recentlyResolved(m, t);
            if (!live || !domain.equals(domainOf(m))) {
                continue; // the same service in another domain is another copy of it
            }
            if (svc != null && svc.equals(m.service)) {
                return new Link(s, LinkKind.SAME_SERVICE, 0, "same-service");
            }
            if (svc == null
                    && m.service == null
                    && m.alertName != null
                    && m.alertName.equals(a.getLabels().get("alertname"))) {
                return new Link(s, LinkKind.SAME_SERVICE, 0, "same-alertname");
            }
        }
        long gap = policy.groupGap().toMillis();
        if (s.activeCount() == 0 && t - s.lastActivityMillis > gap) {
            return null;
        }
        // Faults propagate along dependencies within minutes: a topology or label link needs a
        // member that still fires (or whose incident just went quiet) and that started within
        // linkWindow of this alert.
        long start = a.getStartsAt().toEpochMilli();
        long window = policy.linkWindow().toMillis();
        if (start - s.firstAlertAtMillis > policy.cascadeWindow().toMillis()) {
            return null; // a cascade's alerts start within minutes of its first one
        }
        boolean justQuiet = s.activeCount() == 0;
        int hops = policy.topologyHops();
        boolean topo = svc != null && hops > 0 && topology.knows(svc);
        long slack = policy.causalitySlack().toMillis();
        LinkMemory memory = topology.memory();
        Link best = null;
        for (MemberAlert m : s.members) {
            if (!(m.active || justQuiet) || Math.abs(start - m.startsAtMillis) > window) {
                continue;
            }
            String mDomain = domainOf(m);
            boolean same = domain.equals(mDomain);
            String cross = same ? null : domain + "->" + mDomain;
            List<Link> found = new ArrayList<>(2);
            if (topo && m.service != null && !m.service.equals(svc)) {
                // Causality: a fault flows from a dependency to its callers. This alert is a
                // victim of the member if its service calls the member's (within the hops; the
                // services between did not alert) and it did not start clearly before it; it is
                // the member's cause if the member's service calls it and it did not start
                // clearly after. Across domains, the call must reach there: the callee runs
                // only in the other domain.
                DependencyLinks.Reach victim =
                        same
                                        || (policy.crossDomainLinks()
                                                && memory.reaches(domain, m.service, mDomain))
                                ? topology.dependsOnWithin(svc, m.service, hops)
                                : null;
                if (victim != null && start >= m.startsAtMillis - slack) {
                    found.add(
                            new Link(
                                    s,
                                    LinkKind.VICTIM,
                                    victim.hops(),
                                    victim.origin().label()
                                            + ":victim-of:"
                                            + m.service
                                            + ":"
                                            + victim.hops()
                                            + "-hop",
                                    victim.origin(),
                                    cross));
                }
                DependencyLinks.Reach cause =
                        same || (policy.crossDomainLinks() && memory.reaches(mDomain, svc, domain))
                                ? topology.dependsOnWithin(m.service, svc, hops)
                                : null;
                if (cause != null
                        && start <= m.startsAtMillis + slack
                        && !explained(s, m, topology)) {
                    found.add(
                            new Link(
                                    s,
                                    LinkKind.CAUSE,
                                    cause.hops(),
                                    cause.origin().label()
                                            + ":cause-of:"
                                            + m.service
                                            + ":"
                                            + cause.hops()
                                            + "-hop",
                                    cause.origin(),
                                    cross));
                }
                if (victim == null
                        && cause == null
                        && topology.coFailing(svc, m.service)
                        && (same
                                || (policy.crossDomainLinks()
                                        && (memory.reaches(domain, m.service, mDomain)
                                                || memory.reaches(mDomain, svc, domain))))) {
                    found.add(
                            new Link(
                                    s,
                                    LinkKind.CO_FAILING,
                                    2,
                                    "learned-cooccurrence:fails-with:" + m.service,
                                    DependencyLinks.Origin.LEARNED,
                                    cross));
                }
            }
            if (same) {
                for (CorrelationPolicy.LabelRule r : policy.labelRules()) {
                    if (equalOn(r.equal(), a.getLabels(), m.labels)) {
                        found.add(new Link(s, LinkKind.LABEL_RULE, 0, "label-rule:" + r.name()));
                    }
                }
            }
            for (Link l : found) {
                if (best == null
                        || l.kind().ordinal() < best.kind().ordinal()
                        || (l.kind() == best.kind() && l.hops() < best.hops())) {
                    best = l;
                }
            }
        }
        return best;
    }

    /**
     * Whether a member is already explained by a failing dependency in the incident: then a new
     * alert on another of its dependencies is not needed as its cause (explaining away), and
     * linking it would chain an unrelated fault into the incident.
     */
    private boolean explained(IncidentState s, MemberAlert m, DependencyLinks topology) {
        String mDomain = domainOf(m);
        for (MemberAlert other : s.members) {
            if (other.active
                    && other.service != null
                    && !other.service.equals(m.service)
                    && (mDomain.equals(domainOf(other))
                            || (policy.crossDomainLinks()
                                    && topology.memory()
                                            .reaches(mDomain, other.service, domainOf(other))))
                    && topology.dependsOnWithin(m.service, other.service, policy.topologyHops())
                            != null) {
                return true;
            }
        }
        return false;
    }

    /** A member that resolved within groupGap still links its service's next alert. */
    private boolean recentlyResolved(MemberAlert m, long t) {
        return !m.active
                && m.resolvedAtMillis >= 0
                && t - m.resolvedAtMillis <= policy.groupGap().toMillis();
    }

    private static boolean equalOn(
            List<String> names, Map<String, String> a, Map<String, String> b) {
        for (String n : names) {
            String x = a.get(n);
            if (x == null || x.isEmpty() || !x.equals(b.get(n))) {
                return false;
            }
        }
        return true;
    }

    private void merge(
            IncidentState younger,
            IncidentState survivor,
            Alert a,
            long t,
            List<IncidentEvent> out) {
        for (MemberAlert m : younger.members) {
            if (survivor.member(m.fingerprint) == null) {
                survivor.members.add(m);
            }
        }
        survivor.firstAlertAtMillis =
                Math.min(survivor.firstAlertAtMillis, younger.firstAlertAtMillis);
        if (SeverityScale.moreSevere(
                Severity.valueOf(younger.severity), Severity.valueOf(survivor.severity))) {
            survivor.severity = younger.severity;
        }
        Map<String, String> ev = evidence("linking-alert");
        ev.put("linkingFingerprint", a.getFingerprint());
        ev.put("survivor", survivor.incidentId);
        younger.resolvedAtMillis = t;
        IncidentEvent merged =
                IncidentEvents.next(
                        younger,
                        IncidentEventType.MERGED,
                        t,
                        a,
                        ev,
                        "an alert linked it to the older incident " + survivor.incidentId);
        merged.setMergedInto(survivor.incidentId);
        merged.setStatus(io.tocsin.avro.IncidentStatus.MERGED);
        out.add(merged);
    }

    /** Severity and root cause after a membership change, with their events. */
    private void afterChange(
            IncidentState s, DependencyLinks topology, Alert a, long t, List<IncidentEvent> out) {
        Severity before = Severity.valueOf(s.severity);
        Severity max = before;
        for (MemberAlert m : s.members) {
            Severity ms = Severity.valueOf(m.severity);
            if (SeverityScale.moreSevere(ms, max)) {
                max = ms;
            }
        }
        if (max != before) {
            s.severity = max.name();
            Map<String, String> ev = evidence("max-member-severity");
            IncidentEvent e =
                    IncidentEvents.next(
                            s,
                            IncidentEventType.SEVERITY_CHANGED,
                            t,
                            a,
                            ev,
                            "a more severe alert joined");
            e.setPreviousSeverity(before);
            out.add(e);
        }
        RootCauseRanker.Ranking r = RootCauseRanker.rank(s, topology);
        if (r.service() != null && !r.service().equals(s.rootCause)) {
            String previous = s.rootCause;
            s.rootCause = r.service();
            s.title = title(s);
            Map<String, String> ev = new TreeMap<>(r.evidence());
            ev.put("rule", "root-cause-ranking");
            if (previous != null) {
                ev.put("previousRootCause", previous);
            }
            out.add(
                    IncidentEvents.next(
                            s,
                            IncidentEventType.ROOT_CAUSE_CHANGED,
                            t,
                            a,
                            ev,
                            "root cause re-ranked: " + r.service()));
        }
    }

    private IncidentState open(String domain, Alert a, long t, IncidentState recurrenceOf) {
        IncidentState s = new IncidentState();
        s.domain = domain;
        s.incidentId =
                IncidentIds.of(
                        domain,
                        a.getService() == null ? "" : a.getService(),
                        t,
                        a.getFingerprint());
        s.severity = a.getSeverity().name();
        s.openedAtMillis = t;
        s.lastActivityMillis = t;
        MemberAlert m = member(a);
        s.members.add(m);
        s.firstAlertAtMillis = Math.min(t, m.startsAtMillis);
        s.recurrenceOf = recurrenceOf == null ? null : recurrenceOf.incidentId;
        return s;
    }

    private static void touch(IncidentState s, long t) {
        s.lastActivityMillis = t;
        s.quietSinceMillis = -1;
    }

    private static MemberAlert member(Alert a) {
        MemberAlert m = new MemberAlert();
        m.fingerprint = a.getFingerprint();
        m.alertName = a.getLabels().get("alertname");
        m.service = a.getService();
        m.severity = a.getSeverity().name();
        m.active = true;
        m.startsAtMillis = a.getStartsAt().toEpochMilli();
        m.labels = new TreeMap<>(a.getLabels());
        return m;
    }

    private static String title(IncidentState s) {
        String name = "alert";
        for (MemberAlert m : s.members) {
            if (s.rootCause != null && s.rootCause.equals(m.service)) {
                name = m.alertName;
                break;
            }
        }
        if (name.equals("alert") && !s.members.isEmpty() && s.members.get(0).alertName != null) {
            name = s.members.get(0).alertName;
        }
        int others = Math.max(0, s.services().size() - 1);
        return (s.rootCause == null ? "" : s.rootCause + ": ")
                + name
                + (others > 0 ? " (+" + others + " services)" : "");
    }

    private static Map<String, String> evidence(String rule) {
        Map<String, String> ev = new TreeMap<>();
        ev.put("rule", rule);
        return ev;
    }
}
