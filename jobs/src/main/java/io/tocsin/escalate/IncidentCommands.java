package io.tocsin.escalate;

import static io.tocsin.escalate.EscalationEvents.byPerson;
import static io.tocsin.escalate.EscalationEvents.reject;
import static io.tocsin.escalate.EscalationEvents.withPaged;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.SeverityScale;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A person's commands on an incident: checked against the policy's command rules (role, reason, a
 * required handover), applied once per command id, and answered with the event they cause or a
 * COMMAND_REJECTED that says why. A handover, by HANDOVER or inline, is {@link Handovers}'; a
 * REASSIGN pages the new owner ({@link TierPager#newOwner}). Downgrades and their approvals are
 * {@link DowngradeApprovals}'; dispositions and CLASSIFY are {@link Classifications}'.
 */
final class IncidentCommands implements Serializable {

    static final int MAX_REMEMBERED_COMMANDS = 64;

    private final EscalationPolicy policy;
    private final SeverityChanges changes;
    private final DowngradeApprovals approvals;
    private final Handovers handovers;

    IncidentCommands(
            EscalationPolicy policy, SeverityChanges changes, DowngradeApprovals approvals) {
        this.policy = policy;
        this.changes = changes;
        this.approvals = approvals;
        this.handovers = new Handovers(policy);
    }

    /**
     * Applies a command. Returns a refusal reason for a command that cannot reach an incident (the
     * caller dead-letters it), else null.
     */
    String apply(EscalationState st, Command c, long t, List<IncidentEvent> out) {
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
        String noHandover = handovers.missing(st, c, t);
        if (noHandover != null) {
            reject(st, c, t, noHandover, out);
            return null;
        }
        if (c.getHandover() != null) {
            // recorded once the command may be issued, even if it then fails its own checks
            handovers.record(st, c, t, out);
        } else if (type == CommandType.HANDOVER) {
            reject(st, c, t, "a handover needs its handover fields", out);
            return null;
        }
        switch (type) {
            case ACKNOWLEDGE -> acknowledge(st, c, t, out);
            case RESOLVE -> resolveByCommand(st, c, t, out);
            case UPGRADE -> upgradeByCommand(st, c, t, out);
            case DOWNGRADE -> approvals.downgrade(st, c, t, out);
            case APPROVE -> approvals.approve(st, c, t, out);
            case REASSIGN -> {
                if (c.getAssignee() == null || c.getAssignee().isBlank()) {
                    reject(st, c, t, "reassign needs an assignee", out);
                    return null;
                }
                st.assignee = c.getAssignee();
                Map<String, String> ev = new TreeMap<>();
                ev.put("commandId", c.getCommandId());
                ev.put("role", c.getRole());
                ev.putAll(changes.pager().newOwner(st, c.getAssignee(), t));
                out.add(
                        byPerson(st, IncidentEventType.REASSIGNED, c, t)
                                .setTarget(c.getAssignee())
                                .setEvidence(ev)
                                .build());
            }
            case HANDOVER -> {} // recorded above
            case CLASSIFY -> Classifications.classify(st, c, t, out);
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
                    "the incident is already "
                            + st.status().name().toLowerCase(Locale.ROOT)
                            + (c.getDisposition() != null
                                    ? " (a classify sets the disposition of a resolved incident)"
                                    : ""),
                    out);
            return;
        }
        st.status(IncidentStatus.RESOLVED);
        TierPager.stopPaging(st);
        Map<String, String> ev =
                withPaged(st, Map.of("commandId", c.getCommandId(), "role", c.getRole()));
        Classifications.onResolve(st, c, ev);
        out.add(byPerson(st, IncidentEventType.RESOLVED, c, t).setEvidence(ev).build());
    }

    private void upgradeByCommand(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        Severity to = c.getTargetSeverity();
        if (to == null || !SeverityScale.moreSevere(to, st.severity())) {
            reject(st, c, t, "upgrade needs a severity above the current " + st.severity(), out);
            return;
        }
        changes.changeByCommand(st, to, t, c, out);
    }

    private static String verb(CommandType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
