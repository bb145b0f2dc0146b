package io.tocsin.escalate.cep;

import io.tocsin.avro.CommandType;
import io.tocsin.config.Durations;
import io.tocsin.config.PatternPolicy.ReEscalation;
import io.tocsin.config.SeverityScale;
import io.tocsin.escalate.EscalationSignal;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * re-escalation-after-downgrade: a DOWNGRADE command with a target severity, then within {@code
 * within} a firing alert event on that incident whose alert is more severe than the target: the
 * incident goes back up to the alert's severity, since the reason for the downgrade no longer
 * holds. Only an incident's latest downgrade counts (a later DOWNGRADE of the same incident ends
 * the earlier one's match). The pattern reads commands, not their outcome: a downgrade the
 * escalator rejected still arms it, which is harmless because a signal only raises to at least a
 * severity and the escalator drops one that changes nothing.
 *
 * <p>Keyed by a bucket of incident ids (see {@link PatternKeys#INCIDENT_BUCKETS}), so every
 * condition after the first also checks the incident. No skip: skipping past a match would also end
 * other incidents' pending matches in the bucket; one signal per downgrade already follows from
 * followedBy, which takes the first qualifying alert and completes.
 */
final class ReEscalationPattern {

    static final String NAME = "re-escalation-after-downgrade";
    private static final String DOWNGRADE = "downgrade";
    private static final String SUPERSEDED = "superseded";
    private static final String ALERT = "alert";

    private ReEscalationPattern() {}

    static Pattern<PatternEvent, PatternEvent> pattern(ReEscalation policy) {
        return Pattern.<PatternEvent>begin(DOWNGRADE, AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(new IsDowngrade()))
                .notFollowedBy(SUPERSEDED)
                .where(new LaterDowngrade())
                .followedBy(ALERT)
                .where(new MoreSevereAlert())
                .within(policy.within());
    }

    /** What the operator needs to see: downgrades and firing alerts of known severity. */
    static final class IsRelevant implements FilterFunction<PatternEvent> {
        private final IsDowngrade downgrade = new IsDowngrade();

        @Override
        public boolean filter(PatternEvent e) {
            return downgrade.filter(e) || (e.isFiring() && SeverityScale.known(e.alertSeverity));
        }
    }

    static final class IsDowngrade implements FilterFunction<PatternEvent> {
        @Override
        public boolean filter(PatternEvent e) {
            return e.isCommand(CommandType.DOWNGRADE) && SeverityScale.known(e.targetSeverity);
        }
    }

    /** Another downgrade of the same incident. */
    static final class LaterDowngrade extends IterativeCondition<PatternEvent> {
        @Override
        public boolean filter(PatternEvent e, Context<PatternEvent> ctx) throws Exception {
            PatternEvent d = downgrade(ctx);
            return d != null && e.isCommand(CommandType.DOWNGRADE) && sameIncident(e, d);
        }
    }

    /** A firing alert on the same incident, more severe than the downgrade's target. */
    static final class MoreSevereAlert extends IterativeCondition<PatternEvent> {
        @Override
        public boolean filter(PatternEvent e, Context<PatternEvent> ctx) throws Exception {
            if (!e.isFiring()) {
                return false;
            }
            PatternEvent d = downgrade(ctx);
            return d != null
                    && sameIncident(e, d)
                    && SeverityScale.moreSevere(e.alertSeverity, d.targetSeverity);
        }
    }

    /**
     * The partial match's downgrade, or null while the downgrade itself is being taken (the NFA
     * then also tries the later conditions on it, before it is in the match).
     */
    private static PatternEvent downgrade(IterativeCondition.Context<PatternEvent> ctx)
            throws Exception {
        Iterator<PatternEvent> it = ctx.getEventsForPattern(DOWNGRADE).iterator();
        return it.hasNext() ? it.next() : null;
    }

    private static boolean sameIncident(PatternEvent a, PatternEvent b) {
        return a.incidentId.equals(b.incidentId);
    }

    static EscalationSignal signal(
            PatternEvent downgrade, PatternEvent alert, ReEscalation policy) {
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("downgradeCommandId", downgrade.id);
        evidence.put("downgradedTo", downgrade.targetSeverity.name());
        evidence.put("downgradedBy", String.valueOf(downgrade.actor));
        evidence.put("alertEventId", alert.id);
        evidence.put("alert", alert.alertLabel());
        evidence.put("alertSeverity", alert.alertSeverity.name());
        evidence.put("window", Durations.format(policy.within()));
        evidence.put("after", Durations.format(Duration.ofMillis(alert.time - downgrade.time)));
        if (alert.service != null) {
            evidence.put("service", alert.service);
        }
        String reason =
                "A "
                        + alert.alertSeverity
                        + " alert ("
                        + alert.alertLabel()
                        + ") fired "
                        + evidence.get("after")
                        + " after "
                        + evidence.get("downgradedBy")
                        + " downgraded the incident to "
                        + downgrade.targetSeverity
                        + ": raising it back to "
                        + alert.alertSeverity
                        + ".";
        return Matches.raise(NAME, alert, alert.alertSeverity, reason, evidence);
    }

    /** The CEP output of this pattern: one signal per match. */
    static SignalPerMatch signals(ReEscalation policy) {
        return new SignalPerMatch(
                match -> signal(match.get(DOWNGRADE).get(0), match.get(ALERT).get(0), policy));
    }
}
