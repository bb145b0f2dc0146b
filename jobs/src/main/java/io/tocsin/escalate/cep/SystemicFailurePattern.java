package io.tocsin.escalate.cep;

import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.PatternPolicy.SystemicFailure;
import io.tocsin.config.SeverityScale;
import io.tocsin.escalate.EscalationSignal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * systemic-failure: {@code count} distinct incidents OPENED on one service (the opening alert's
 * service) within {@code within}, each opened at or below {@code atOrBelow}: separately each looks
 * minor, together they are one systemic failure. One signal raises the newest of them to {@code
 * severity}, naming all of them in evidence "correlatedIncidents". Skip past the last event: the
 * next signal needs {@code count} new incidents.
 */
final class SystemicFailurePattern {

    static final String NAME = "systemic-failure";
    private static final String OPENED = "opened";

    private SystemicFailurePattern() {}

    static Pattern<PatternEvent, PatternEvent> pattern(SystemicFailure policy) {
        return Pattern.<PatternEvent>begin(OPENED, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new NewIncident(policy))
                .times(policy.count())
                .within(policy.within());
    }

    /** An incident opened at a low severity on a known service. */
    static final class IsLowOpening implements FilterFunction<PatternEvent> {
        private final SystemicFailure policy;

        IsLowOpening(SystemicFailure policy) {
            this.policy = policy;
        }

        @Override
        public boolean filter(PatternEvent e) {
            return e.eventType == IncidentEventType.OPENED
                    && e.service != null
                    && SeverityScale.atOrBelow(e.incidentSeverity, policy.atOrBelow());
        }
    }

    /** A low opening of an incident not already in the partial match (a replayed OPENED is not). */
    static final class NewIncident extends IterativeCondition<PatternEvent> {
        private final IsLowOpening lowOpening;

        NewIncident(SystemicFailure policy) {
            this.lowOpening = new IsLowOpening(policy);
        }

        @Override
        public boolean filter(PatternEvent e, Context<PatternEvent> ctx) throws Exception {
            if (!lowOpening.filter(e)) {
                return false;
            }
            for (PatternEvent earlier : ctx.getEventsForPattern(OPENED)) {
                if (earlier.incidentId.equals(e.incidentId)) {
                    return false;
                }
            }
            return true;
        }
    }

    static EscalationSignal signal(List<PatternEvent> openings, SystemicFailure policy) {
        PatternEvent newest = openings.get(openings.size() - 1);
        Map<String, String> evidence = Matches.runOnService(openings, policy.within());
        evidence.remove("incidents");
        evidence.put("correlatedIncidents", Matches.joined(openings, e -> e.incidentId));
        evidence.put("atOrBelow", policy.atOrBelow().name());
        String reason =
                openings.size()
                        + " incidents opened on "
                        + Matches.where(newest)
                        + " within "
                        + evidence.get("window")
                        + " ("
                        + evidence.get("correlatedIncidents").replace(",", ", ")
                        + "), each at "
                        + policy.atOrBelow()
                        + " or below: they are one systemic failure, raising to "
                        + policy.severity()
                        + ".";
        return Matches.raise(NAME, newest, policy.severity(), reason, evidence);
    }

    /** The CEP output of this pattern: one signal per match. */
    static SignalPerMatch signals(SystemicFailure policy) {
        return new SignalPerMatch(match -> signal(match.get(OPENED), policy));
    }
}
