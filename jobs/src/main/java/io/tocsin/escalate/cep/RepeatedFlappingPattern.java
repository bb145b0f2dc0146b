package io.tocsin.escalate.cep;

import io.tocsin.config.PatternPolicy.RepeatedFlapping;
import io.tocsin.escalate.EscalationSignal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * repeated-flapping: {@code count} events about flapping alerts (evidence alertFlapping=true) on
 * one service within {@code within} raise the incident of the last one to {@code severity}. Dedupe
 * passes on the one transition that starts an alert flapping and holds the rest back, and that
 * transition may be a resolve, so every event type counts here. Skip past the last event, as for
 * warning-burst.
 */
final class RepeatedFlappingPattern {

    static final String NAME = "repeated-flapping";
    private static final String FLAPPING = "flapping";

    private RepeatedFlappingPattern() {}

    static Pattern<PatternEvent, PatternEvent> pattern(RepeatedFlapping policy) {
        return Pattern.<PatternEvent>begin(FLAPPING, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(new IsFlapping()))
                .times(policy.count())
                .within(policy.within());
    }

    /** An event about a flapping alert on a known service. */
    static final class IsFlapping implements FilterFunction<PatternEvent> {
        @Override
        public boolean filter(PatternEvent e) {
            return e.flapping && e.eventType != null && e.service != null;
        }
    }

    static EscalationSignal signal(List<PatternEvent> flapping, RepeatedFlapping policy) {
        PatternEvent last = flapping.get(flapping.size() - 1);
        Map<String, String> evidence = Matches.runOnService(flapping, policy.within());
        String reason =
                "Alerts on "
                        + Matches.where(last)
                        + " started flapping "
                        + flapping.size()
                        + " times within "
                        + evidence.get("window")
                        + ": the service is unstable, raising to "
                        + policy.severity()
                        + ".";
        return Matches.raise(NAME, last, policy.severity(), reason, evidence);
    }

    /** The CEP output of this pattern: one signal per match. */
    static SignalPerMatch signals(RepeatedFlapping policy) {
        return new SignalPerMatch(match -> signal(match.get(FLAPPING), policy));
    }
}
