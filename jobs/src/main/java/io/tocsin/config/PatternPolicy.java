package io.tocsin.config;

import io.tocsin.avro.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * The escalation CEP patterns (io.tocsin.escalate.cep.EscalationPatterns), the policy's {@code
 * escalation.patterns} section. Severities compare by rank: SEV1 is the most severe; "at or below
 * SEV3" means SEV3 or SEV4.
 *
 * @param warningBurst {@code count} alerts at or below {@code atOrBelow} on one service within
 *     {@code within}: the last one's incident becomes {@code severity}
 * @param warningThenCritical a warning followed by a critical on one service within {@code within}
 * @param repeatedFlapping {@code count} flapping alert changes on one service within {@code within}
 * @param systemicFailure {@code count} incidents opened at or below {@code atOrBelow} on one
 *     service within {@code within}: the newest becomes {@code severity}, naming the others
 * @param reEscalation a downgrade followed within {@code within} by an alert more severe than the
 *     downgraded-to level: back up to that alert's severity
 */
public record PatternPolicy(
        Burst warningBurst,
        WarningThenCritical warningThenCritical,
        Burst repeatedFlapping,
        Burst systemicFailure,
        ReEscalation reEscalation)
        implements Serializable {

    public record Burst(
            boolean enabled, int count, Duration within, Severity atOrBelow, Severity severity)
            implements Serializable {}

    public record WarningThenCritical(
            boolean enabled,
            Duration within,
            Severity warning,
            Severity critical,
            Severity severity,
            boolean escalate)
            implements Serializable {}

    public record ReEscalation(boolean enabled, Duration within) implements Serializable {}

    public static PatternPolicy defaults() {
        return new PatternPolicy(
                new Burst(true, 3, Duration.ofMinutes(10), Severity.SEV3, Severity.SEV2),
                new WarningThenCritical(
                        true,
                        Duration.ofMinutes(15),
                        Severity.SEV3,
                        Severity.SEV1,
                        Severity.SEV1,
                        true),
                new Burst(true, 3, Duration.ofMinutes(30), Severity.SEV4, Severity.SEV2),
                new Burst(true, 3, Duration.ofHours(1), Severity.SEV3, Severity.SEV2),
                new ReEscalation(true, Duration.ofHours(1)));
    }

    public static PatternPolicy from(ConfigNode n) {
        n.allowOnly(
                Set.of(
                        "warningBurst",
                        "warningThenCritical",
                        "repeatedFlapping",
                        "systemicFailure",
                        "reEscalation"));
        PatternPolicy d = defaults();
        ConfigNode wc = n.get("warningThenCritical");
        wc.allowOnly(Set.of("enabled", "within", "warning", "critical", "severity", "escalate"));
        WarningThenCritical w = d.warningThenCritical();
        ConfigNode re = n.get("reEscalation");
        re.allowOnly(Set.of("enabled", "within"));
        return new PatternPolicy(
                burst(n.get("warningBurst"), d.warningBurst()),
                new WarningThenCritical(
                        wc.get("enabled").bool(w.enabled()),
                        wc.get("within").positiveDuration(w.within()),
                        level(wc.get("warning"), w.warning()),
                        level(wc.get("critical"), w.critical()),
                        level(wc.get("severity"), w.severity()),
                        wc.get("escalate").bool(w.escalate())),
                burst(n.get("repeatedFlapping"), d.repeatedFlapping()),
                burst(n.get("systemicFailure"), d.systemicFailure()),
                new ReEscalation(
                        re.get("enabled").bool(d.reEscalation().enabled()),
                        re.get("within").positiveDuration(d.reEscalation().within())));
    }

    private static Burst burst(ConfigNode n, Burst d) {
        n.allowOnly(Set.of("enabled", "count", "within", "atOrBelow", "severity"));
        return new Burst(
                n.get("enabled").bool(d.enabled()),
                n.get("count").intValue(d.count(), 2, 1000),
                n.get("within").positiveDuration(d.within()),
                level(n.get("atOrBelow"), d.atOrBelow()),
                level(n.get("severity"), d.severity()));
    }

    private static Severity level(ConfigNode n, Severity def) {
        return n.isMissing() ? def : PolicyLoader.level(n);
    }
}
