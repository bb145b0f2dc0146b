package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.event;
import static io.tocsin.escalate.Escalator.ROUTING_KEY;
import static io.tocsin.escalate.Escalator.TRIGGER;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Catalog;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.SeverityScale;
import io.tocsin.config.Topology;
import java.io.Serializable;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tier pager: pages the incident's escalation chain tier by tier (the root cause's team's chain
 * first), wrapping into the next loop, falling back when nobody is on call, and noting when nobody
 * can be paged.
 */
final class TierPager implements Serializable {

    private final EscalationPolicy policy;
    private final CatalogContext context;

    TierPager(EscalationPolicy policy, Topology topology) {
        this(policy, topology, Catalog.empty());
    }

    TierPager(EscalationPolicy policy, Topology topology, Catalog catalog) {
        this.policy = policy;
        this.context = new CatalogContext(catalog, topology);
    }

    boolean atPagingSeverity(EscalationState st) {
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
            st.pagedVia = via;
            st.pagedPerson = who.get();
            st.rotationAt = nextRotation(target, t);
            if (!st.pagedKeys.contains(target.routingKey())) {
                st.pagedKeys.add(target.routingKey());
            }
            Map<String, String> ev = new TreeMap<>(skipped);
            ev.put(TRIGGER, actor);
            ev.put(ROUTING_KEY, target.routingKey());
            ev.put("chain", chain.id());
            ev.put("via", via);
            ev.put("loop", Integer.toString(st.loop));
            context.addTo(st, ev);
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

    /** No tier waits for an acknowledgement any more, nor for its rotation to hand over. */
    static void stopPaging(EscalationState st) {
        st.tierDeadline = Long.MAX_VALUE;
        st.rotationAt = Long.MAX_VALUE;
    }

    /**
     * When to look at {@code target}'s rotation next after {@code t}: its next handover, or a
     * recheck {@link #ROTATION_HORIZON} on; Long.MAX_VALUE for a fixed person, or when the policy
     * does not page rotation handovers.
     */
    long nextRotation(EscalationPolicy.Target target, long t) {
        if (target.schedule() == null || !policy.handover().onRotation()) {
            return Long.MAX_VALUE;
        }
        long until = t + ROTATION_HORIZON.toMillis();
        return policy.schedules().nextChange(target.schedule(), t, until).orElse(until);
    }

    /** How far ahead a rotation's next handover is looked for at once. */
    static final Duration ROTATION_HORIZON = Duration.ofDays(14);

    /**
     * Pages the new owner of a REASSIGN at {@code t}, returning the evidence for its REASSIGNED
     * event: the routing key and target paged ({@link #owner}), and the last handover; or why
     * nobody was paged (no such target, the incident closed, or below the paging severity). The
     * previous owner's page stays as it is: it is acknowledged and resolved with the others.
     */
    Map<String, String> newOwner(EscalationState st, String assignee, long t) {
        Map<String, String> ev = new TreeMap<>();
        Optional<Owner> found = owner(assignee, t);
        if (found.isEmpty()) {
            ev.put(
                    "notPaged",
                    "no target, routing key or schedule is named "
                            + assignee
                            + ", and no target or schedule has them as a member");
            return ev;
        }
        if (!st.isOpen() || !atPagingSeverity(st)) {
            ev.put(
                    "notPaged",
                    !st.isOpen()
                            ? "the incident is " + st.status().name().toLowerCase(Locale.ROOT)
                            : st.severity()
                                    + " is below the paging severity "
                                    + policy.pageAtOrAbove());
            return ev;
        }
        Owner o = found.get();
        EscalationPolicy.Target target = o.target();
        if (!st.pagedKeys.contains(target.routingKey())) {
            st.pagedKeys.add(target.routingKey()); // acknowledge and resolve reach it too
        }
        ev.put(ROUTING_KEY, target.routingKey());
        ev.put("via", target.name());
        if (o.person() != null) {
            ev.put("owner", o.person());
        }
        // A schedule keeps owning it across its rotation; a named person owns it until resolved.
        st.pagedVia = o.followsRotation() ? target.name() : null;
        st.pagedPerson = o.person();
        st.rotationAt = o.followsRotation() ? nextRotation(target, t) : Long.MAX_VALUE;
        ev.putAll(Handovers.evidence(st));
        return ev;
    }

    /**
     * Who an assignee names, tried in this order: a target by name, by routing key, a target of the
     * schedule so named, a target that is that person, a target whose schedule has that person as a
     * member (targets by name, so the choice is deterministic).
     */
    private Optional<Owner> owner(String assignee, long t) {
        List<EscalationPolicy.Target> targets =
                policy.targets().values().stream()
                        .sorted(Comparator.comparing(EscalationPolicy.Target::name))
                        .toList();
        for (int rule = 0; rule < 5; rule++) {
            for (EscalationPolicy.Target target : targets) {
                String schedule = target.schedule();
                boolean matches =
                        switch (rule) {
                            case 0 -> target.name().equals(assignee);
                            case 1 -> target.routingKey().equals(assignee);
                            case 2 -> assignee.equals(schedule);
                            case 3 -> assignee.equals(target.person());
                            default ->
                                    schedule != null
                                            && policy.schedules()
                                                    .schedule(schedule)
                                                    .map(s -> s.hasMember(assignee))
                                                    .orElse(false);
                        };
                if (matches) {
                    boolean asTarget = rule < 3;
                    String person = asTarget ? resolve(target, t).orElse(null) : assignee;
                    return Optional.of(new Owner(target, person, asTarget && schedule != null));
                }
            }
        }
        return Optional.empty();
    }

    /** A new owner: the target paged, the person (null: nobody on call) and whether to follow. */
    private record Owner(EscalationPolicy.Target target, String person, boolean followsRotation) {}

    Optional<String> resolve(EscalationPolicy.Target target, long t) {
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
        EscalationPolicy.Chain c = policy.chainFor(context.facts(st));
        st.chainId = c == null ? null : c.id();
        return c;
    }
}
