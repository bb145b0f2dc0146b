package io.tocsin.escalate.cep;

import io.tocsin.config.PatternPolicy.WarningBurst;
import io.tocsin.config.SeverityScale;
import io.tocsin.escalate.EscalationSignal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * warning-burst: {@code count} firing alert events (OPENED, ALERT_ADDED, REOPENED) whose alert is
 * at or below {@code atOrBelow} on one service within {@code within} raise the incident of the last
 * one to {@code severity}. Skip past the last event: a burst of 2N-1 warnings gives one signal, 2N
 * give two, never one per combination.
 */
final class WarningBurstPattern {

    static final String NAME = "warning-burst";
    private static final String WARNINGS = "warnings";

    private WarningBurstPattern() {}

    static Pattern<PatternEvent, PatternEvent> pattern(WarningBurst policy) {
        return Pattern.<PatternEvent>begin(WARNINGS, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(new IsWarning(policy)))
                .times(policy.count())
                .within(policy.within());
    }

    /** A firing alert at or below the warning level, on a known service. */
    static final class IsWarning implements FilterFunction<PatternEvent> {
        private final WarningBurst policy;

        IsWarning(WarningBurst policy) {
            this.policy = policy;
        }

        @Override
        public boolean filter(PatternEvent e) {
            return e.isFiring()
                    && e.service != null
                    && SeverityScale.atOrBelow(e.alertSeverity, policy.atOrBelow());
        }
    }

    static EscalationSignal signal(List<PatternEvent> warnings, WarningBurst policy) {
        PatternEvent last = warnings.get(warnings.size() - 1);
        Map<String, String> evidence = Matches.runOnService(warnings, policy.within());
        evidence.put("atOrBelow", policy.atOrBelow().name());
        String reason =
                warnings.size()
                        + " alerts at "
                        + policy.atOrBelow()
                        + " or below fired on "
                        + Matches.where(last)
                        + " within "
                        + evidence.get("window")
                        + ": a burst of warnings, raising to "
                        + policy.severity()
                        + ".";
        return Matches.raise(NAME, last, policy.severity(), reason, evidence);
    }

    /** The CEP output of this pattern: one signal per match. */
    static SignalPerMatch signals(WarningBurst policy) {
        return new SignalPerMatch(match -> signal(match.get(WARNINGS), policy));
    }
}
