package io.tocsin.escalate;

import io.tocsin.avro.Command;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.Catalog;
import io.tocsin.config.EscalationPolicy;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.Topology;
import java.io.Serializable;
import java.util.List;

/**
 * The escalate stage's state machine for one incident, free of Flink (the operator {@link
 * EscalationFunction} feeds it in event-time order and owns the timers). It passes the correlator's
 * events on, re-sequenced and carrying the severity and status it decided, and adds its own:
 * ESCALATED (a tier paged), SEVERITY_CHANGED (triggers and commands), ACKNOWLEDGED, RESOLVED (by
 * command), REASSIGNED, NOTE_ADDED, APPROVAL_REQUESTED, COMMAND_REJECTED, HANDOVER and HANDOVER_DUE
 * (a paged rotation hands over). Every added event names its actor (a person, or {@code
 * policy:<rule>} / {@code cep:<pattern>}), a reason and the evidence, so an incident's audit trail
 * is its events alone.
 *
 * <p>Severity only rises automatically (the most severe of the correlator's verdict and the
 * triggers'); it falls only by a DOWNGRADE command, approved by a second person when the policy
 * says so.
 *
 * <p>This class only routes each input to its part: {@link CorrelatorEvents}, {@link
 * AutomaticTriggers}, {@link CepSignals}, {@link SlaClock}, {@link TierPager}, {@link
 * IncidentCommands}, {@link DowngradeApprovals}, {@link RotationHandovers} and {@link
 * SuspectChanges}; {@link SeverityChanges} and {@link EscalationEvents} are what they share.
 */
public final class Escalator implements Serializable {

    /** Evidence keys other systems read (sql/queries, the pages). */
    public static final String ROUTING_KEY = "routingKey";

    public static final String PAGED_KEYS = "pagedRoutingKeys";
    public static final String TRIGGER = "trigger";

    private final EscalationPolicy policy;
    private final CorrelatorEvents correlatorEvents;
    private final CepSignals signals;
    private final SlaClock clock;
    private final DowngradeApprovals approvals;
    private final IncidentCommands commands;
    private final RotationHandovers rotations;
    private final SuspectChanges suspects = new SuspectChanges();

    public Escalator(
            EscalationPolicy policy,
            List<MaintenanceWindow> windows,
            Topology topology,
            String domainLabel) {
        this(policy, windows, topology, Catalog.empty(), domainLabel);
    }

    /** An escalator that routes and enriches pages by the service {@code catalog} too. */
    public Escalator(
            EscalationPolicy policy,
            List<MaintenanceWindow> windows,
            Topology topology,
            Catalog catalog,
            String domainLabel) {
        this.policy = policy;
        TierPager pager = new TierPager(policy, topology, catalog);
        SeverityChanges changes = new SeverityChanges(policy, windows, domainLabel, pager);
        this.correlatorEvents =
                new CorrelatorEvents(new AutomaticTriggers(policy, topology, changes), pager);
        this.signals = new CepSignals(changes, pager);
        this.clock = new SlaClock(policy, pager, changes);
        this.approvals = new DowngradeApprovals(policy, changes);
        this.commands = new IncidentCommands(policy, changes, approvals);
        this.rotations = new RotationHandovers(policy, pager);
    }

    public EscalationPolicy policy() {
        return policy;
    }

    /** Applies one of the correlator's events; returns the state (new for a first event). */
    public EscalationState onEvent(
            EscalationState st, IncidentEvent e, long t, List<IncidentEvent> out) {
        return correlatorEvents.apply(st, e, t, out);
    }

    /** Passes the changes stage's ranking on as the incident's CHANGE_SUSPECTED event. */
    public void onSuspects(EscalationState st, IncidentEvent e, long t, List<IncidentEvent> out) {
        suspects.apply(st, e, t, out);
    }

    public void onSignal(EscalationState st, EscalationSignal s, long t, List<IncidentEvent> out) {
        signals.apply(st, s, t, out);
    }

    /**
     * Applies a command. Returns a refusal reason for a command that cannot reach an incident (the
     * caller dead-letters it), else null.
     */
    public String onCommand(EscalationState st, Command c, long t, List<IncidentEvent> out) {
        return commands.apply(st, c, t, out);
    }

    /** The earliest time something is due for this incident, or Long.MAX_VALUE. */
    public long nextDue(EscalationState st) {
        long due = Math.min(expiry(st), clock.nextDue(st));
        return Math.min(Math.min(due, approvals.nextDue(st)), rotations.nextDue(st));
    }

    /** Fires what is due at {@code t}; returns false when the state should be dropped. */
    public boolean onTime(EscalationState st, long t, List<IncidentEvent> out) {
        approvals.expire(st, t, out);
        clock.onTime(st, t, out);
        rotations.onTime(st, t, out);
        return expiry(st) > t;
    }

    /** When the state is dropped: {@code stateTtl} after the incident's last input. */
    private long expiry(EscalationState st) {
        return st.lastInputAt + policy.stateTtl().toMillis();
    }
}
