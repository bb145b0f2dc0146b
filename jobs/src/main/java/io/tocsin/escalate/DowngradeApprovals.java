package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.byPerson;
import static io.tocsin.escalate.EscalationEvents.event;
import static io.tocsin.escalate.EscalationEvents.reject;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.config.Durations;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.SeverityScale;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DOWNGRADE and APPROVE commands: a downgrade from a severity the policy guards waits for a second
 * person in an approver role, and expires when nobody approves it in time; a severity set by an
 * automatic trigger is downgraded only by an override role.
 */
final class DowngradeApprovals implements Serializable {

    static final int MAX_PENDING = 8;

    private final EscalationPolicy policy;
    private final SeverityChanges changes;

    DowngradeApprovals(EscalationPolicy policy, SeverityChanges changes) {
        this.policy = policy;
        this.changes = changes;
    }

    void downgrade(EscalationState st, Command c, long t, List<IncidentEvent> out) {
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
        changes.changeByCommand(st, to, t, c, out);
    }

    void approve(EscalationState st, Command c, long t, List<IncidentEvent> out) {
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
        changes.changeSeverity(
                st,
                to,
                t,
                c.getActor(),
                p.reason + " (approved by " + c.getActor() + ")",
                ev,
                false,
                out);
    }

    /** Rejects the downgrades whose approval did not come within the policy's timeout. */
    void expire(EscalationState st, long t, List<IncidentEvent> out) {
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
                                                + Durations.format(
                                                        policy.commands().approvalTimeout()))
                                .build());
            }
        }
    }

    /** When the oldest pending downgrade expires, or Long.MAX_VALUE. */
    long nextDue(EscalationState st) {
        long due = Long.MAX_VALUE;
        for (EscalationState.PendingDowngrade p : st.pending) {
            due = Math.min(due, p.requestedAt + policy.commands().approvalTimeout().toMillis());
        }
        return due;
    }
}
