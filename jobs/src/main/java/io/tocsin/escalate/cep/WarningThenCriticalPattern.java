package io.tocsin.escalate.cep;

import io.tocsin.config.Durations;
import io.tocsin.config.PatternPolicy.WarningThenCritical;
import io.tocsin.config.SeverityScale;
import io.tocsin.escalate.EscalationSignal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * warning-then-critical: a firing alert at or below {@code warning} followed, on the same service
 * within {@code within}, by a firing alert at or above {@code critical}: the critical's incident is
 * raised to {@code severity} and, with {@code escalate}, its next tier paged now. The warning came
 * first, so the critical is a fault getting worse, not a one-off. Skip past the last event: several
 * warnings before one critical give one signal (naming the earliest warning), and that critical's
 * warnings are used up.
 */
final class WarningThenCriticalPattern {

    static final String NAME = "warning-then-critical";
    private static final String WARNING = "warning";
    private static final String CRITICAL = "critical";

    private WarningThenCriticalPattern() {}

    static Pattern<PatternEvent, PatternEvent> pattern(WarningThenCritical policy) {
        return Pattern.<PatternEvent>begin(WARNING, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(new IsWarning(policy)))
                .followedBy(CRITICAL)
                .where(SimpleCondition.of(new IsCritical(policy)))
                .within(policy.within());
    }

    /** Either end of the pattern: what the operator needs to see. */
    static final class IsWarningOrCritical implements FilterFunction<PatternEvent> {
        private final IsWarning warning;
        private final IsCritical critical;

        IsWarningOrCritical(WarningThenCritical policy) {
            this.warning = new IsWarning(policy);
            this.critical = new IsCritical(policy);
        }

        @Override
        public boolean filter(PatternEvent e) {
            return warning.filter(e) || critical.filter(e);
        }
    }

    static final class IsWarning implements FilterFunction<PatternEvent> {
        private final WarningThenCritical policy;

        IsWarning(WarningThenCritical policy) {
            this.policy = policy;
        }

        @Override
        public boolean filter(PatternEvent e) {
            return e.isFiring()
                    && e.service != null
                    && SeverityScale.atOrBelow(e.alertSeverity, policy.warning());
        }
    }

    static final class IsCritical implements FilterFunction<PatternEvent> {
        private final WarningThenCritical policy;

        IsCritical(WarningThenCritical policy) {
            this.policy = policy;
        }

        @Override
        public boolean filter(PatternEvent e) {
            return e.isFiring()
                    && e.service != null
                    && SeverityScale.atOrAbove(e.alertSeverity, policy.critical());
        }
    }

    static EscalationSignal signal(
            PatternEvent warning, PatternEvent critical, WarningThenCritical policy) {
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("warningEventId", warning.id);
        evidence.put("warningIncident", warning.incidentId);
        evidence.put("warningAlert", warning.alertLabel());
        evidence.put("warningSeverity", warning.alertSeverity.name());
        evidence.put("criticalEventId", critical.id);
        evidence.put("criticalAlert", critical.alertLabel());
        evidence.put("criticalSeverity", critical.alertSeverity.name());
        evidence.put("domain", critical.domain);
        evidence.put("service", critical.service);
        evidence.put("window", Durations.format(policy.within()));
        evidence.put("after", Durations.format(Duration.ofMillis(critical.time - warning.time)));
        String reason =
                "A "
                        + critical.alertSeverity
                        + " alert ("
                        + critical.alertLabel()
                        + ") fired on "
                        + Matches.where(critical)
                        + " "
                        + evidence.get("after")
                        + " after a "
                        + warning.alertSeverity
                        + " warning ("
                        + warning.alertLabel()
                        + "): the fault is getting worse; raising to "
                        + policy.severity()
                        + (policy.escalate() ? " and paging the next tier now." : ".");
        return Matches.signal(
                NAME, critical, policy.severity(), policy.escalate(), reason, evidence);
    }

    /** The CEP output of this pattern: one signal per match. */
    static SignalPerMatch signals(WarningThenCritical policy) {
        return new SignalPerMatch(
                match -> signal(match.get(WARNING).get(0), match.get(CRITICAL).get(0), policy));
    }
}
