package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Which escalation CEP patterns run and their thresholds (the {@code escalation.patterns} section).
 * Severities compare on Tocsin's scale: SEV1 is the most severe, so "at or below SEV3" means SEV3
 * or SEV4 and "at or above SEV1" means SEV1. Every pattern can be switched off with {@code enabled:
 * false}.
 *
 * @param warningBurst many low-severity alerts on one service
 * @param warningThenCritical a warning on a service followed by a critical alert there
 * @param repeatedFlapping many alerts starting to flap on one service
 * @param systemicFailure many low-severity incidents opened on one service
 * @param reEscalation a severe alert on an incident soon after it was downgraded
 */
public record PatternPolicy(
        WarningBurst warningBurst,
        WarningThenCritical warningThenCritical,
        RepeatedFlapping repeatedFlapping,
        SystemicFailure systemicFailure,
        ReEscalation reEscalation)
        implements Serializable {

    /** Largest count a pattern may require (each step is an NFA state). */
    public static final int MAX_COUNT = 100;

    /**
     * {@code count} firing alerts at or below {@code atOrBelow} on one service within {@code
     * within} raise the last one's incident to at least {@code severity}.
     */
    public record WarningBurst(
            boolean enabled, int count, Duration within, Severity atOrBelow, Severity severity)
            implements Serializable {}

    /**
     * A firing alert at or below {@code warning} followed within {@code within} by one at or above
     * {@code critical} on the same service raises the critical's incident to at least {@code
     * severity} and, with {@code escalate}, pages its next tier now.
     */
    public record WarningThenCritical(
            boolean enabled,
            Duration within,
            Severity warning,
            Severity critical,
            Severity severity,
            boolean escalate)
            implements Serializable {}

    /**
     * {@code count} alerts starting to flap on one service within {@code within} raise the last
     * one's incident to at least {@code severity}.
     */
    public record RepeatedFlapping(boolean enabled, int count, Duration within, Severity severity)
            implements Serializable {}

    /**
     * {@code count} distinct incidents opened at or below {@code atOrBelow} on one service within
     * {@code within} raise the newest to at least {@code severity}, naming the others.
     */
    public record SystemicFailure(
            boolean enabled, int count, Duration within, Severity atOrBelow, Severity severity)
            implements Serializable {}

    /**
     * A firing alert more severe than a DOWNGRADE's target, on that incident within {@code within}
     * of the downgrade, raises the incident back to the alert's severity.
     */
    public record ReEscalation(boolean enabled, Duration within) implements Serializable {}

    public PatternPolicy {
        Objects.requireNonNull(warningBurst, "warningBurst");
        Objects.requireNonNull(warningThenCritical, "warningThenCritical");
        Objects.requireNonNull(repeatedFlapping, "repeatedFlapping");
        Objects.requireNonNull(systemicFailure, "systemicFailure");
        Objects.requireNonNull(reEscalation, "reEscalation");
    }

    public static PatternPolicy defaults() {
        return new PatternPolicy(
                new WarningBurst(true, 3, Duration.ofMinutes(10), Severity.SEV3, Severity.SEV2),
                new WarningThenCritical(
                        true,
                        Duration.ofMinutes(15),
                        Severity.SEV3,
                        Severity.SEV1,
                        Severity.SEV1,
                        true),
                new RepeatedFlapping(true, 3, Duration.ofMinutes(30), Severity.SEV2),
                new SystemicFailure(true, 3, Duration.ofHours(1), Severity.SEV3, Severity.SEV2),
                new ReEscalation(true, Duration.ofHours(1)));
    }

    /** The {@code patterns} section as written; each pattern binds on its own. */
    record RawPatterns(
            JsonNode warningBurst,
            JsonNode warningThenCritical,
            JsonNode repeatedFlapping,
            JsonNode systemicFailure,
            JsonNode reEscalation) {}

    /** A counting pattern (warningBurst, systemicFailure) as written; null where left out. */
    record RawCounting(
            Boolean enabled, Integer count, Duration within, String atOrBelow, String severity) {}

    /** {@code warningThenCritical} as written; null where left out. */
    record RawWarningThenCritical(
            Boolean enabled,
            Duration within,
            String warning,
            String critical,
            String severity,
            Boolean escalate) {}

    /** {@code repeatedFlapping} as written; null where left out. */
    record RawRepeatedFlapping(Boolean enabled, Integer count, Duration within, String severity) {}

    /** {@code reEscalation} as written; null where left out. */
    record RawReEscalation(Boolean enabled, Duration within) {}

    /**
     * Reads the {@code patterns} section; a missing section or field takes its default. Fails with
     * a {@link ConfigException} naming the field on unknown fields and bad values.
     */
    public static PatternPolicy from(ConfigNode node) {
        ConfigBinder.bind(node, RawPatterns.class);
        PatternPolicy d = defaults();
        return new PatternPolicy(
                warningBurst(node.get("warningBurst"), d.warningBurst()),
                warningThenCritical(node.get("warningThenCritical"), d.warningThenCritical()),
                repeatedFlapping(node.get("repeatedFlapping"), d.repeatedFlapping()),
                systemicFailure(node.get("systemicFailure"), d.systemicFailure()),
                reEscalation(node.get("reEscalation"), d.reEscalation()));
    }

    private static WarningBurst warningBurst(ConfigNode n, WarningBurst d) {
        RawCounting raw = ConfigBinder.bind(n, RawCounting.class);
        return new WarningBurst(
                ConfigBinder.or(raw.enabled(), d.enabled()),
                count(n.get("count"), raw.count(), d.count()),
                ConfigBinder.positive(n.get("within"), raw.within(), d.within()),
                severity(n.get("atOrBelow"), raw.atOrBelow(), d.atOrBelow()),
                severity(n.get("severity"), raw.severity(), d.severity()));
    }

    private static WarningThenCritical warningThenCritical(ConfigNode n, WarningThenCritical d) {
        RawWarningThenCritical raw = ConfigBinder.bind(n, RawWarningThenCritical.class);
        Severity warning = severity(n.get("warning"), raw.warning(), d.warning());
        Severity critical = severity(n.get("critical"), raw.critical(), d.critical());
        if (!SeverityScale.moreSevere(critical, warning)) {
            // Otherwise one alert could be both the warning and the critical.
            throw n.get(raw.critical() == null ? "warning" : "critical")
                    .error(
                            "critical ("
                                    + critical
                                    + ") must be more severe than warning ("
                                    + warning
                                    + ")");
        }
        return new WarningThenCritical(
                ConfigBinder.or(raw.enabled(), d.enabled()),
                ConfigBinder.positive(n.get("within"), raw.within(), d.within()),
                warning,
                critical,
                severity(n.get("severity"), raw.severity(), d.severity()),
                ConfigBinder.or(raw.escalate(), d.escalate()));
    }

    private static RepeatedFlapping repeatedFlapping(ConfigNode n, RepeatedFlapping d) {
        RawRepeatedFlapping raw = ConfigBinder.bind(n, RawRepeatedFlapping.class);
        return new RepeatedFlapping(
                ConfigBinder.or(raw.enabled(), d.enabled()),
                count(n.get("count"), raw.count(), d.count()),
                ConfigBinder.positive(n.get("within"), raw.within(), d.within()),
                severity(n.get("severity"), raw.severity(), d.severity()));
    }

    private static SystemicFailure systemicFailure(ConfigNode n, SystemicFailure d) {
        RawCounting raw = ConfigBinder.bind(n, RawCounting.class);
        return new SystemicFailure(
                ConfigBinder.or(raw.enabled(), d.enabled()),
                count(n.get("count"), raw.count(), d.count()),
                ConfigBinder.positive(n.get("within"), raw.within(), d.within()),
                severity(n.get("atOrBelow"), raw.atOrBelow(), d.atOrBelow()),
                severity(n.get("severity"), raw.severity(), d.severity()));
    }

    private static ReEscalation reEscalation(ConfigNode n, ReEscalation d) {
        RawReEscalation raw = ConfigBinder.bind(n, RawReEscalation.class);
        return new ReEscalation(
                ConfigBinder.or(raw.enabled(), d.enabled()),
                ConfigBinder.positive(n.get("within"), raw.within(), d.within()));
    }

    private static int count(ConfigNode n, Integer count, int def) {
        return ConfigBinder.between(n, count, def, 2, MAX_COUNT);
    }

    private static Severity severity(ConfigNode n, String text, Severity def) {
        return text == null ? def : PolicyLoader.level(n, text);
    }
}
