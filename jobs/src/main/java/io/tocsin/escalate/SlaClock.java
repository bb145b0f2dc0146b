package io.tocsin.escalate;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.Durations;
import io.tocsin.config.EscalationPolicy;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The SLA clock of an open incident: from the start of its response period, an acknowledge and a
 * resolve SLA per severity level, each warned at the policy's fraction (paging further) and, when
 * breached, raising the severity one level (or, at SEV1, paging further); and the paged tier's ack
 * timeout, which pages the next tier.
 */
final class SlaClock implements Serializable {

    private final EscalationPolicy policy;
    private final TierPager pager;
    private final SeverityChanges changes;

    SlaClock(EscalationPolicy policy, TierPager pager, SeverityChanges changes) {
        this.policy = policy;
        this.pager = pager;
        this.changes = changes;
    }

    /** The next tier timeout or SLA warning or breach of an open incident, or Long.MAX_VALUE. */
    long nextDue(EscalationState st) {
        long due = Long.MAX_VALUE;
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
        return due;
    }

    private long warnAfter(long sla) {
        return (long) (sla * policy.slaWarning());
    }

    /** Fires the tier timeout and the SLA warnings and breaches due at {@code t}. */
    void onTime(EscalationState st, long t, List<IncidentEvent> out) {
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
                pager.page(
                        st,
                        st.tier + 1,
                        t,
                        "policy:ack-sla-at-risk",
                        "not acknowledged after "
                                + pct()
                                + " of the "
                                + Durations.format(level.acknowledgeWithin())
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
                pager.page(
                        st,
                        st.tier + 1,
                        t,
                        "policy:resolve-sla-at-risk",
                        "not resolved after "
                                + pct()
                                + " of the "
                                + Durations.format(level.resolveWithin())
                                + " resolve SLA of "
                                + st.severity(),
                        out);
            }
            if (st.status() == IncidentStatus.OPEN && st.tierDeadline <= t) {
                pager.page(
                        st,
                        st.tier + 1,
                        t,
                        "policy:tier-timeout",
                        "tier " + st.tier + " did not acknowledge in time",
                        out);
            }
        }
    }

    private String pct() {
        return Math.round(policy.slaWarning() * 100) + "%";
    }

    private void slaBreached(
            EscalationState st, long t, String what, Duration sla, List<IncidentEvent> out) {
        Severity to = oneUp(st.severity());
        String trigger = "policy:" + what + "-sla-breached";
        String reason =
                "the "
                        + Durations.format(sla)
                        + " "
                        + what
                        + " SLA of "
                        + st.severity()
                        + " is breached";
        if (to != st.severity()) {
            changes.upgrade(st, trigger, to, t, reason, Map.of("sla", Durations.format(sla)), out);
        } else {
            pager.page(st, st.tier + 1, t, trigger, reason, out);
        }
    }

    static Severity oneUp(Severity s) {
        return switch (s) {
            case SEV1, SEV2 -> Severity.SEV1;
            case SEV3 -> Severity.SEV2;
            default -> Severity.SEV3;
        };
    }
}
