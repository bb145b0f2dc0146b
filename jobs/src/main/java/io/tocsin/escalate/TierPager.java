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
import java.util.List;
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

    /** No tier waits for an acknowledgement any more. */
    static void stopPaging(EscalationState st) {
        st.tierDeadline = Long.MAX_VALUE;
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
        EscalationPolicy.Chain c = policy.chainFor(context.facts(st));
        st.chainId = c == null ? null : c.id();
        return c;
    }
}
