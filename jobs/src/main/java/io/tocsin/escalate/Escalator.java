package io.tocsin.escalate;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.LabelMatcher;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.SeverityScale;
import io.tocsin.config.Topology;
import io.tocsin.correlate.IncidentEvents;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The escalate stage's state machine for one incident, free of Flink (the operator {@link
 * EscalationFunction} feeds it in event-time order and owns the timers). It passes the correlator's
 * events on, re-sequenced and carrying the severity and status it decided, and adds its own:
 * ESCALATED (a tier paged), SEVERITY_CHANGED (triggers and commands), ACKNOWLEDGED, RESOLVED (by
 * command), REASSIGNED, NOTE_ADDED, APPROVAL_REQUESTED and COMMAND_REJECTED. Every added event
 * names its actor (a person, or {@code policy:<rule>} / {@code cep:<pattern>}), a reason and the
 * evidence, so an incident's audit trail is its events alone.
 *
 * <p>Severity only rises automatically (the most severe of the correlator's verdict and the
 * triggers'); it falls only by a DOWNGRADE command, approved by a second person when the policy
 * says so.
 */
public final class Escalator implements Serializable {

    static final int MAX_PENDING = 8;
    static final int MAX_REMEMBERED_COMMANDS = 64;

    /** Evidence keys other systems read (sql/queries, the pages). */
    public static final String ROUTING_KEY = "routingKey";

    public static final String PAGED_KEYS = "pagedRoutingKeys";
    public static final String TRIGGER = "trigger";

    private final EscalationPolicy policy;
    private final List<MaintenanceWindow> windows;
    private final Topology topology;
    private final String domainLabel;

    public Escalator(
            EscalationPolicy policy,
            List<MaintenanceWindow> windows,
            Topology topology,
            String domainLabel) {
        this.policy = policy;
        this.windows = List.copyOf(windows);
        this.topology = topology;
        this.domainLabel = domainLabel;
    }

    public EscalationPolicy policy() {
        return policy;
    }

    // ------------------------------------------------------------------ correlator events

    /** Applies one of the correlator's events; returns the state (new for a first event). */
    public EscalationState onEvent(
            EscalationState st, IncidentEvent e, long t, List<IncidentEvent> out) {
        if (st == null) {
            st = new EscalationState();
            st.incidentId = e.getIncidentId();
            st.severity(e.getSeverity());
            st.openedAt = e.getOpenedAt() == null ? t : e.getOpenedAt().toEpochMilli();
            st.periodStart = t;
        }
        st.lastInputAt = t;
        st.domain = e.getDomain();
        st.title = e.getTitle();
        st.rootCause = e.getRootCauseService();
        st.services = List.copyOf(e.getServices());
        st.alertCount = e.getAlertCount();
        st.activeAlertCount = e.getActiveAlertCount();
        if (e.getFirstAlertAt() != null) {
            st.firstAlertAt = e.getFirstAlertAt().toEpochMilli();
        }
        Severity computed = e.getSeverity();
        st.computedSeverity(computed);
        IncidentEventType type = e.getType();

        if (type == IncidentEventType.SEVERITY_CHANGED
                && !SeverityScale.moreSevere(computed, st.severity())) {
            // The correlator lowered (or kept) its verdict: the incident keeps its severity.
            if (computed != st.severity()) {
                Map<String, String> ev = new TreeMap<>(e.getEvidence());
                ev.put("computedSeverity", computed.name());
                out.add(
                        event(st, IncidentEventType.NOTE_ADDED, t)
                                .setActor(e.getActor())
                                .setEvidence(ev)
                                .setReason(
                                        "member alerts now say "
                                                + computed
                                                + "; the incident stays "
                                                + st.severity()
                                                + " until a downgrade is approved")
                                .build());
            }
            return st;
        }
        Severity before = st.severity();
        // Only a change of the correlator's verdict raises the severity: after an approved
        // downgrade, the members that were already there do not push it back up.
        if (type == IncidentEventType.SEVERITY_CHANGED
                && SeverityScale.moreSevere(computed, st.severity())) {
            st.severity(computed);
            st.severitySetByPolicy = false;
        }
        switch (type) {
            case RESOLVED -> {
                if (!st.isOpen()) {
                    // Already resolved by a person: the correlator's verdict is recorded as a note.
                    out.add(
                            passOn(st, e, t, IncidentEventType.NOTE_ADDED)
                                    .setReason("all member alerts resolved: " + e.getReason())
                                    .build());
                    return st;
                }
                st.status(IncidentStatus.RESOLVED);
            }
            case REOPENED -> startPeriod(st, t);
            case MERGED -> st.status(IncidentStatus.MERGED);
            default -> {}
        }
        IncidentEvent.Builder passed = passOn(st, e, t, type);
        if (type == IncidentEventType.SEVERITY_CHANGED) {
            passed.setPreviousSeverity(before);
        }
        if (type == IncidentEventType.RESOLVED || type == IncidentEventType.MERGED) {
            passed.setEvidence(withPaged(st, e.getEvidence()));
        }
        out.add(passed.build());
        if (type == IncidentEventType.RESOLVED || type == IncidentEventType.MERGED) {
            stopPaging(st);
            return st;
        }
        if (!st.isOpen() && type == IncidentEventType.ALERT_ADDED) {
            // An alert fired on an incident a person resolved: it is back.
            startPeriod(st, t);
            out.add(
                    event(st, IncidentEventType.REOPENED, t)
                            .setActor("policy:alert-after-resolve")
                            .setFingerprint(e.getFingerprint())
                            .setAlertName(e.getAlertName())
                            .setAlertService(e.getAlertService())
                            .setReason("a member alert fired after the incident was resolved")
                            .build());
        }
        if (st.isOpen()) {
            checkTriggers(st, e, t, out);
            if (st.tier < 0 && atPagingSeverity(st)) {
                page(st, 0, t, "policy:open", "the incident is " + st.severity(), out);
            }
        }
        return st;
    }

    private IncidentEvent.Builder passOn(
            EscalationState st, IncidentEvent e, long t, IncidentEventType type) {
        st.seq++;
        return IncidentEvent.newBuilder(e)
                .setType(type)
                .setSeq(st.seq)
                .setEventId(st.incidentId + "/" + st.seq)
                .setSeverity(st.severity())
                .setStatus(st.status());
    }

    private void startPeriod(EscalationState st, long t) {
        st.status(IncidentStatus.OPEN);
        st.periodStart = t;
        st.tier = -1;
        st.loop = 0;
        st.tierDeadline = Long.MAX_VALUE;
        st.pagedKeys = new java.util.ArrayList<>();
        st.ackWarned = st.ackBreached = st.resolveWarned = st.resolveBreached = false;
        st.acknowledgedBy = null;
        st.fired = new java.util.ArrayList<>();
    }

    private void stopPaging(EscalationState st) {
        st.tierDeadline = Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ automatic triggers

    private void checkTriggers(
            EscalationState st, IncidentEvent e, long t, List<IncidentEvent> out) {
        EscalationPolicy.BlastRadius br = policy.blastRadius();
        if (st.services.size() > br.maxServices()) {
            upgradeOnce(
                    st,
                    "policy:blast-radius",
                    br.severity(),
                    t,
                    "the incident spans "
                            + st.services.size()
                            + " services (more than "
                            + br.maxServices()
                            + ")",
                    Map.of("services", String.join(",", st.services)),
                    out);
        }
        if (!br.criticalTiers().isEmpty()) {
            for (String s : st.services) {
                Topology.Service svc = topology.services().get(s);
                if (svc != null && svc.tier() != null && br.criticalTiers().contains(svc.tier())) {
                    upgradeOnce(
                            st,
                            "policy:critical-tier",
                            br.tierSeverity(),
                            t,
                            s + " is a " + svc.tier() + " service",
                            Map.of("service", s, "tier", svc.tier()),
                            out);
                    break;
                }
            }
        }
        for (EscalationPolicy.Threshold th : policy.thresholds()) {
            String v = e.getEvidence().get(IncidentEvents.ALERT_VALUE_PREFIX + th.key());
            if (v == null) {
                continue;
            }
            double x;
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException ex) {
                continue;
            }
            if (x > th.above()) {
                upgradeOnce(
                        st,
                        "policy:threshold:" + th.id(),
                        th.severity(),
                        t,
                        e.getAlertName()
                                + " on "
                                + e.getAlertService()
                                + ": "
                                + th.key()
                                + " = "
                                + v
                                + " > "
                                + th.above(),
                        Map.of(
                                "key",
                                th.key(),
                                "value",
                                v,
                                "fingerprint",
                                String.valueOf(e.getFingerprint())),
                        out);
            }
        }
    }

    private void upgradeOnce(
            EscalationState st,
            String trigger,
            Severity to,
            long t,
            String reason,
            Map<String, String> evidence,
            List<IncidentEvent> out) {
        if (st.fired.contains(trigger) || !SeverityScale.moreSevere(to, st.severity())) {
            return;
        }
        st.fired.add(trigger);
        upgrade(st, trigger, to, t, reason, evidence, out);
    }

    /** An automatic upgrade: held (noted) while a maintenance window covers the incident. */
    private void upgrade(
            EscalationState st,
            String trigger,
            Severity to,
            long t,
            String reason,
            Map<String, String> evidence,
            List<IncidentEvent> out) {
        Map<String, String> ev = new TreeMap<>(evidence);
        ev.put(TRIGGER, trigger);
        String window = maintenanceCovering(st, t);
        if (window != null
                && policy.holdUpgradesInMaintenance()
                && !policy.upgradeInMaintenance().contains(trigger)) {
            ev.put("maintenance", window);
            ev.put("heldSeverity", to.name());
            out.add(
                    event(st, IncidentEventType.NOTE_ADDED, t)
                            .setActor(trigger)
                            .setEvidence(ev)
                            .setReason(
                                    "upgrade to "
                                            + to
                                            + " held: maintenance window "
                                            + window
                                            + " ("
                                            + reason
                                            + ")")
                            .build());
            return;
        }
        changeSeverity(st, to, t, trigger, reason, ev, true, out);
    }

    private void changeSeverity(
            EscalationState st,
            Severity to,
            long t,
            String actor,
            String reason,
            Map<String, String> evidence,
            boolean byPolicy,
            List<IncidentEvent> out) {
        Severity before = st.severity();
        st.severity(to);
        st.severitySetByPolicy = byPolicy;
        out.add(
                event(st, IncidentEventType.SEVERITY_CHANGED, t)
                        .setPreviousSeverity(before)
                        .setActor(actor)
                        .setReason(reason)
                        .setEvidence(evidence)
                        .build());
        if (st.isOpen() && st.tier < 0 && atPagingSeverity(st)) {
            page(st, 0, t, actor, "the incident is now " + st.severity(), out);
        }
    }

    /** The maintenance window open at {@code t} covering all the incident's services, or null. */
    String maintenanceCovering(EscalationState st, long t) {
        if (st.services.isEmpty()) {
            return null;
        }
        Instant at = Instant.ofEpochMilli(t);
        for (MaintenanceWindow w : windows) {
            if (w.openUntil(at) == null) {
                continue;
            }
            boolean all = true;
            for (String s : st.services) {
                Map<String, String> labels = new HashMap<>();
                labels.put("service", s);
                if (st.domain != null) {
                    labels.put(domainLabel, st.domain);
                }
                if (!LabelMatcher.allMatch(w.matchers(), labels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return w.id();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ CEP signals

    public void onSignal(EscalationState st, EscalationSignal s, long t, List<IncidentEvent> out) {
        if (st == null || !st.isOpen()) {
            return; // the incident is closed or unknown: nothing to escalate
        }
        st.lastInputAt = t;
        Map<String, String> ev = new TreeMap<>(s.evidence);
        if (s.severity != null && SeverityScale.moreSevere(s.severity, st.severity())) {
            upgrade(st, s.trigger, s.severity, t, s.reason, ev, out);
        }
        if (s.escalate && st.status() == IncidentStatus.OPEN) {
            page(st, st.tier + 1, t, s.trigger, s.reason, out);
        }
    }

    // ------------------------------------------------------------------ timers

    /** The earliest time something is due for this incident, or Long.MAX_VALUE. */
    public long nextDue(EscalationState st) {
        long due = st.lastInputAt + policy.stateTtl().toMillis();
        if (st.isOpen()) {
            due = Math.min(due, st.tierDeadline);
            EscalationPolicy.Level level = policy.level(st.severity());
            if (st.status() == IncidentStatus.OPEN) {
                if (!st.ackWarned) {
                    due =
                            Math.min(
                                    due,
                                    st.periodStart
                                            + warnAfter(level.acknowledgeWithin().toMillis()));
                }
                if (!st.ackBreached) {
                    due = Math.min(due, st.periodStart + level.acknowledgeWithin().toMillis());
                }
            }
            if (!st.resolveWarned) {
                due = Math.min(due, st.periodStart + warnAfter(level.resolveWithin().toMillis()));
            }
            if (!st.resolveBreached) {
                due = Math.min(due, st.periodStart + level.resolveWithin().toMillis());
            }
        }
        for (EscalationState.PendingDowngrade p : st.pending) {
            due = Math.min(due, p.requestedAt + policy.commands().approvalTimeout().toMillis());
        }
        return due;
    }

    private long warnAfter(long sla) {
        return (long) (sla * policy.slaWarning());
    }

    /** Fires what is due at {@code t}; returns false when the state should be dropped. */
    public boolean onTime(EscalationState st, long t, List<IncidentEvent> out) {
        for (EscalationState.PendingDowngrade p : List.copyOf(st.pending)) {
            if (p.requestedAt + policy.commands().approvalTimeout().toMillis() <= t) {
                st.pending.remove(p);
                out.add(
                        event(st, IncidentEventType.COMMAND_REJECTED, t)
                                .setActor("policy:approval-timeout")
                                .setEvidence(
                                        Map.of(
                                                "commandId",
                                                p.commandId,
                                                "requestedBy",
                                                p.requestedBy,
                                                "targetSeverity",
                                                p.target().name()))
                                .setReason(
                                        "downgrade to "
                                                + p.target()
                                                + " requested by "
                                                + p.requestedBy
                                                + " was not approved within "
                                                + io.tocsin.config.Durations.format(
                                                        policy.commands().approvalTimeout()))
                                .build());
            }
        }
        if (st.isOpen()) {
            EscalationPolicy.Level level = policy.level(st.severity());
            long ack = level.acknowledgeWithin().toMillis();
            long resolve = level.resolveWithin().toMillis();
            if (st.status() == IncidentStatus.OPEN
                    && !st.ackBreached
                    && st.periodStart + ack <= t) {
                st.ackBreached = true;
                st.ackWarned = true;
                slaBreached(st, t, "acknowledge", level.acknowledgeWithin(), out);
            } else if (st.status() == IncidentStatus.OPEN
                    && !st.ackWarned
                    && st.periodStart + warnAfter(ack) <= t) {
                st.ackWarned = true;
                page(
                        st,
                        st.tier + 1,
                        t,
                        "policy:ack-sla-at-risk",
                        "not acknowledged after "
                                + pct()
                                + " of the "
                                + io.tocsin.config.Durations.format(level.acknowledgeWithin())
                                + " acknowledge SLA of "
                                + st.severity(),
                        out);
            }
            if (st.isOpen() && !st.resolveBreached && st.periodStart + resolve <= t) {
                st.resolveBreached = true;
                st.resolveWarned = true;
                slaBreached(st, t, "resolve", level.resolveWithin(), out);
            } else if (st.isOpen()
                    && !st.resolveWarned
                    && st.periodStart + warnAfter(resolve) <= t) {
                st.resolveWarned = true;
                page(
                        st,
                        st.tier + 1,
                        t,
                        "policy:resolve-sla-at-risk",
                        "not resolved after "
                                + pct()
                                + " of the "
                                + io.tocsin.config.Durations.format(level.resolveWithin())
                                + " resolve SLA of "
                                + st.severity(),
                        out);
            }
            if (st.status() == IncidentStatus.OPEN && st.tierDeadline <= t) {
                page(
                        st,
                        st.tier + 1,
                        t,
                        "policy:tier-timeout",
                        "tier " + st.tier + " did not acknowledge in time",
                        out);
            }
        }
        return st.lastInputAt + policy.stateTtl().toMillis() > t;
    }

    private String pct() {
        return Math.round(policy.slaWarning() * 100) + "%";
    }

    private void slaBreached(
            EscalationState st,
            long t,
            String what,
            java.time.Duration sla,
            List<IncidentEvent> out) {
        Severity to = oneUp(st.severity());
        String trigger = "policy:" + what + "-sla-breached";
        String reason =
                "the "
                        + io.tocsin.config.Durations.format(sla)
                        + " "
                        + what
                        + " SLA of "
                        + st.severity()
                        + " is breached";
        if (to != st.severity()) {
            upgrade(
                    st,
                    trigger,
                    to,
                    t,
                    reason,
                    Map.of("sla", io.tocsin.config.Durations.format(sla)),
                    out);
        } else {
            page(st, st.tier + 1, t, trigger, reason, out);
        }
    }

    // ------------------------------------------------------------------ paging

    private boolean atPagingSeverity(EscalationState st) {
        return !SeverityScale.moreSevere(policy.pageAtOrAbove(), st.severity());
    }

    /**
     * Pages tier {@code index} of the incident's chain (wrapping into the next loop, falling back
     * when nobody is on call), emitting ESCALATED; a NOTE_ADDED when nobody can be paged.
     */
    void page(
            EscalationState st,
            int index,
            long t,
            String actor,
            String reason,
            List<IncidentEvent> out) {
        if (!atPagingSeverity(st)) {
            st.tierDeadline = Long.MAX_VALUE; // e.g. downgraded below paging while a tier waited
            out.add(
                    event(st, IncidentEventType.NOTE_ADDED, t)
                            .setActor(actor)
                            .setEvidence(Map.of(TRIGGER, actor))
                            .setReason(
                                    reason
                                            + "; not paged: "
                                            + st.severity()
                                            + " is below the paging severity "
                                            + policy.pageAtOrAbove())
                            .build());
            return;
        }
        EscalationPolicy.Chain chain = chain(st);
        if (chain == null) {
            st.tierDeadline = Long.MAX_VALUE;
            if (!st.fired.contains("policy:no-chain")) {
                st.fired.add("policy:no-chain");
                out.add(
                        event(st, IncidentEventType.NOTE_ADDED, t)
                                .setActor(actor)
                                .setReason(
                                        "no escalation chain matches services "
                                                + st.services
                                                + ": nobody paged")
                                .build());
            }
            return;
        }
        int tiers = chain.tiers().size();
        Map<String, String> skipped = new TreeMap<>();
        for (int tries = 0; tries <= tiers; tries++) {
            if (index >= tiers) {
                if (st.loop >= chain.loops()) {
                    st.tierDeadline = Long.MAX_VALUE;
                    Map<String, String> ev = new TreeMap<>(skipped);
                    ev.put(TRIGGER, actor);
                    out.add(
                            event(st, IncidentEventType.NOTE_ADDED, t)
                                    .setActor(actor)
                                    .setEvidence(ev)
                                    .setReason(
                                            "escalation chain "
                                                    + chain.id()
                                                    + " exhausted after "
                                                    + (chain.loops() + 1)
                                                    + " pass(es): "
                                                    + reason)
                                    .build());
                    return;
                }
                st.loop++;
                index = 0;
            }
            EscalationPolicy.Tier tier = chain.tiers().get(index);
            EscalationPolicy.Target target = policy.targets().get(tier.target());
            Optional<String> who = resolve(target, t);
            String via = tier.target();
            if (who.isEmpty() && chain.fallback() != null) {
                EscalationPolicy.Target fb = policy.targets().get(chain.fallback());
                who = resolve(fb, t);
                if (who.isPresent()) {
                    skipped.put("nobodyOnCall", tier.target());
                    target = fb;
                    via = chain.fallback();
                }
            }
            if (who.isEmpty()) {
                skipped.put(
                        "nobodyOnCall",
                        skipped.containsKey("nobodyOnCall")
                                ? skipped.get("nobodyOnCall") + "," + tier.target()
                                : tier.target());
                index++;
                continue;
            }
            st.tier = index;
            st.tierDeadline = t + tier.timeout().toMillis();
            if (!st.pagedKeys.contains(target.routingKey())) {
                st.pagedKeys.add(target.routingKey());
            }
            Map<String, String> ev = new TreeMap<>(skipped);
            ev.put(TRIGGER, actor);
            ev.put(ROUTING_KEY, target.routingKey());
            ev.put("chain", chain.id());
            ev.put("via", via);
            ev.put("loop", Integer.toString(st.loop));
            out.add(
                    event(st, IncidentEventType.ESCALATED, t)
                            .setActor(actor)
                            .setEscalationTier(index)
                            .setTarget(who.get())
                            .setEvidence(ev)
                            .setReason(reason)
                            .build());
            return;
        }
    }

    private Optional<String> resolve(EscalationPolicy.Target target, long t) {
        if (target.person() != null) {
            return Optional.of(target.person());
        }
        return policy.schedules().onCall(target.schedule(), t);
    }

    private EscalationPolicy.Chain chain(EscalationState st) {
        if (st.chainId != null) {
            for (EscalationPolicy.Chain c : policy.chains()) {
                if (c.id().equals(st.chainId)) {
                    return c;
                }
            }
        }
        Set<String> teams = new TreeSet<>();
        for (String s : st.services) {
            Topology.Service svc = topology.services().get(s);
            if (svc != null && svc.team() != null) {
                teams.add(svc.team());
            }
        }
        // The root cause's chain first: its team owns the fix.
        List<String> services = new java.util.ArrayList<>();
        if (st.rootCause != null) {
            services.add(st.rootCause);
        }
        services.addAll(st.services);
        EscalationPolicy.Chain c = policy.chainFor(services, teams);
        st.chainId = c == null ? null : c.id();
        return c;
    }

    // ------------------------------------------------------------------ commands

    /**
     * Applies a command. Returns a refusal reason for a command that cannot reach an incident (the
     * caller dead-letters it), else null.
     */
    public String onCommand(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        if (st == null) {
            return "unknown incident "
                    + c.getIncidentId()
                    + " (never seen, or evicted after its retention)";
        }
        if (st.recentCommands.contains(c.getCommandId())) {
            return null; // a re-delivery: applied once already
        }
        st.recentCommands.add(c.getCommandId());
        if (st.recentCommands.size() > MAX_REMEMBERED_COMMANDS) {
            st.recentCommands.remove(0);
        }
        st.lastInputAt = t;
        EscalationPolicy.CommandRules rules = policy.commands();
        CommandType type = c.getType();
        if (type == CommandType.UNKNOWN) {
            reject(st, c, t, "unknown command type", out);
            return null;
        }
        if (!rules.allows(type, c.getRole())) {
            reject(
                    st,
                    c,
                    t,
                    "role "
                            + c.getRole()
                            + " may not "
                            + verb(type)
                            + " (allowed: "
                            + String.join(
                                    ", ",
                                    new TreeSet<>(rules.allowed().getOrDefault(type, Set.of())))
                            + ")",
                    out);
            return null;
        }
        if (rules.reasonRequired().contains(type)
                && (c.getReason() == null || c.getReason().isBlank())) {
            reject(st, c, t, verb(type) + " needs a reason", out);
            return null;
        }
        switch (type) {
            case ACKNOWLEDGE -> acknowledge(st, c, t, out);
            case RESOLVE -> resolveByCommand(st, c, t, out);
            case UPGRADE -> upgradeByCommand(st, c, t, out);
            case DOWNGRADE -> downgrade(st, c, t, out);
            case APPROVE -> approve(st, c, t, out);
            case REASSIGN -> {
                if (c.getAssignee() == null || c.getAssignee().isBlank()) {
                    reject(st, c, t, "reassign needs an assignee", out);
                    return null;
                }
                st.assignee = c.getAssignee();
                out.add(
                        byPerson(st, IncidentEventType.REASSIGNED, c, t)
                                .setTarget(c.getAssignee())
                                .build());
            }
            case ADD_NOTE -> {
                if (c.getNote() == null || c.getNote().isBlank()) {
                    reject(st, c, t, "a note needs text", out);
                    return null;
                }
                out.add(
                        byPerson(st, IncidentEventType.NOTE_ADDED, c, t)
                                .setReason(c.getNote())
                                .build());
            }
            default -> reject(st, c, t, "unsupported command " + type, out);
        }
        return null;
    }

    private void acknowledge(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        if (st.status() != IncidentStatus.OPEN) {
            reject(
                    st,
                    c,
                    t,
                    "the incident is "
                            + st.status().name().toLowerCase(Locale.ROOT)
                            + (st.acknowledgedBy != null ? " (by " + st.acknowledgedBy + ")" : ""),
                    out);
            return;
        }
        st.status(IncidentStatus.ACKNOWLEDGED);
        st.acknowledgedBy = c.getActor();
        st.tierDeadline = Long.MAX_VALUE;
        Map<String, String> ev =
                withPaged(st, Map.of("commandId", c.getCommandId(), "role", c.getRole()));
        out.add(byPerson(st, IncidentEventType.ACKNOWLEDGED, c, t).setEvidence(ev).build());
    }

    private void resolveByCommand(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        if (!st.isOpen()) {
            reject(
                    st,
                    c,
                    t,
                    "the incident is already " + st.status().name().toLowerCase(Locale.ROOT),
                    out);
            return;
        }
        st.status(IncidentStatus.RESOLVED);
        stopPaging(st);
        Map<String, String> ev =
                withPaged(st, Map.of("commandId", c.getCommandId(), "role", c.getRole()));
        out.add(byPerson(st, IncidentEventType.RESOLVED, c, t).setEvidence(ev).build());
    }

    private void upgradeByCommand(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        Severity to = c.getTargetSeverity();
        if (to == null || !SeverityScale.moreSevere(to, st.severity())) {
            reject(st, c, t, "upgrade needs a severity above the current " + st.severity(), out);
            return;
        }
        changeSeverity(
                st,
                to,
                t,
                c.getActor(),
                c.getReason(),
                Map.of(
                        "commandId",
                        c.getCommandId(),
                        "role",
                        c.getRole(),
                        "requestedBy",
                        c.getActor()),
                false,
                out);
    }

    private void downgrade(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        EscalationPolicy.CommandRules rules = policy.commands();
        Severity to = c.getTargetSeverity();
        if (to == null || to == Severity.UNKNOWN || !SeverityScale.moreSevere(st.severity(), to)) {
            reject(st, c, t, "downgrade needs a severity below the current " + st.severity(), out);
            return;
        }
        if (st.severitySetByPolicy && !rules.overrideRoles().contains(c.getRole())) {
            reject(
                    st,
                    c,
                    t,
                    st.severity()
                            + " was set by an automatic trigger; only "
                            + String.join(", ", new TreeSet<>(rules.overrideRoles()))
                            + " may override it",
                    out);
            return;
        }
        if (rules.approvalFor().contains(st.severity())) {
            if (st.pending.size() >= MAX_PENDING) {
                reject(st, c, t, "too many downgrades awaiting approval", out);
                return;
            }
            EscalationState.PendingDowngrade p = new EscalationState.PendingDowngrade();
            p.commandId = c.getCommandId();
            p.requestedBy = c.getActor();
            p.role = c.getRole();
            p.target(to);
            p.reason = c.getReason();
            p.requestedAt = t;
            st.pending.add(p);
            out.add(
                    byPerson(st, IncidentEventType.APPROVAL_REQUESTED, c, t)
                            .setEvidence(
                                    Map.of(
                                            "commandId",
                                            c.getCommandId(),
                                            "requestedBy",
                                            c.getActor(),
                                            "targetSeverity",
                                            to.name(),
                                            "role",
                                            c.getRole()))
                            .setReason(
                                    "downgrade "
                                            + st.severity()
                                            + " -> "
                                            + to
                                            + " needs approval by "
                                            + String.join(
                                                    " or ", new TreeSet<>(rules.approverRoles()))
                                            + ": "
                                            + c.getReason())
                            .build());
            return;
        }
        changeSeverity(
                st,
                to,
                t,
                c.getActor(),
                c.getReason(),
                Map.of(
                        "commandId",
                        c.getCommandId(),
                        "requestedBy",
                        c.getActor(),
                        "role",
                        c.getRole()),
                false,
                out);
    }

    private void approve(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        EscalationState.PendingDowngrade p = null;
        for (EscalationState.PendingDowngrade q : st.pending) {
            if (q.commandId.equals(c.getApprovesCommandId())) {
                p = q;
            }
        }
        if (p == null) {
            reject(st, c, t, "no downgrade " + c.getApprovesCommandId() + " awaits approval", out);
            return;
        }
        if (!policy.commands().approverRoles().contains(c.getRole())) {
            reject(st, c, t, "role " + c.getRole() + " may not approve downgrades", out);
            return;
        }
        if (p.requestedBy.equals(c.getActor())) {
            reject(
                    st,
                    c,
                    t,
                    "a downgrade must be approved by a second person, not by its requester "
                            + p.requestedBy,
                    out);
            return;
        }
        st.pending.remove(p);
        Severity to = p.target();
        if (!SeverityScale.moreSevere(st.severity(), to)) {
            reject(st, c, t, "nothing to downgrade: the incident is already " + st.severity(), out);
            return;
        }
        Map<String, String> ev = new TreeMap<>();
        ev.put("commandId", p.commandId);
        ev.put("approvalCommandId", c.getCommandId());
        ev.put("requestedBy", p.requestedBy);
        ev.put("approvedBy", c.getActor());
        changeSeverity(
                st,
                to,
                t,
                c.getActor(),
                p.reason + " (approved by " + c.getActor() + ")",
                ev,
                false,
                out);
    }

    private void reject(
            EscalationState st, Command c, long t, String why, List<IncidentEvent> out) {
        Map<String, String> ev = new TreeMap<>();
        ev.put("commandId", c.getCommandId());
        ev.put("command", c.getType().name());
        ev.put("role", c.getRole());
        if (c.getReason() != null) {
            ev.put("commandReason", c.getReason());
        }
        out.add(
                byPerson(st, IncidentEventType.COMMAND_REJECTED, c, t)
                        .setEvidence(ev)
                        .setReason(why)
                        .build());
    }

    private IncidentEvent.Builder byPerson(
            EscalationState st, IncidentEventType type, Command c, long t) {
        return event(st, type, t)
                .setActor(c.getActor())
                .setReason(c.getReason())
                .setEvidence(Map.of("commandId", c.getCommandId(), "role", c.getRole()));
    }

    private static String verb(CommandType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    // ------------------------------------------------------------------ helpers

    private Map<String, String> withPaged(EscalationState st, Map<String, String> evidence) {
        Map<String, String> ev = new TreeMap<>(evidence);
        if (!st.pagedKeys.isEmpty()) {
            ev.put(PAGED_KEYS, String.join(",", st.pagedKeys));
        }
        return ev;
    }

    /** A new event of this stage, carrying the incident's current facts. */
    private IncidentEvent.Builder event(EscalationState st, IncidentEventType type, long t) {
        st.seq++;
        return IncidentEvent.newBuilder()
                .setEventId(st.incidentId + "/" + st.seq)
                .setIncidentId(st.incidentId)
                .setSeq(st.seq)
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(t))
                .setOpenedAt(Instant.ofEpochMilli(st.openedAt))
                .setFirstAlertAt(
                        st.firstAlertAt == 0 ? null : Instant.ofEpochMilli(st.firstAlertAt))
                .setDomain(st.domain == null ? "" : st.domain)
                .setSeverity(st.severity())
                .setStatus(st.status())
                .setTitle(st.title)
                .setServices(st.services)
                .setAlertCount(st.alertCount)
                .setActiveAlertCount(st.activeAlertCount)
                .setRootCauseService(st.rootCause)
                .setEvidence(Map.of());
    }

    private static Severity oneUp(Severity s) {
        return switch (s) {
            case SEV1, SEV2 -> Severity.SEV1;
            case SEV3 -> Severity.SEV2;
            default -> Severity.SEV3;
        };
    }
}
