package io.tocsin.config;

import io.tocsin.avro.CommandType;
import io.tocsin.avro.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How incidents escalate (the policy file's {@code escalation:} section, read by {@link
 * EscalationPolicyReader}): response SLAs per severity, who is paged in which order, the automatic
 * upgrade triggers, and who may change an incident by command.
 *
 * @param levels response SLAs per severity
 * @param pageAtOrAbove incidents at least this severe page their first tier
 * @param slaWarning share of an SLA after which it is "about to breach" (e.g. 0.8)
 * @param targets who a tier pages, by name
 * @param chains escalation paths; the first whose match fits the incident applies, else the last
 *     one without a match (the default)
 * @param schedules on-call rotations that decide who holds a target at an event time
 * @param blastRadius upgrades for incidents that spread
 * @param thresholds upgrades for alert values above a limit
 * @param patterns the CEP patterns (io.tocsin.escalate.cep)
 * @param commands who may do what by command
 * @param holdUpgradesInMaintenance automatic severity upgrades wait while a maintenance window
 *     covers the incident's services, except for the triggers named in {@code upgradeInMaintenance}
 * @param upgradeInMaintenance triggers (e.g. policy:blast-radius) that upgrade even then
 * @param pageRateLimit pages per routing key per interval; the rest wait, coalesced
 * @param stateTtl escalation state of a closed incident is kept this long (commands may still
 *     arrive); an open incident's is dropped after this long without any input
 * @param handover which commands need a handover, and the rotation handovers
 */
public record EscalationPolicy(
        Map<Severity, Level> levels,
        Severity pageAtOrAbove,
        double slaWarning,
        Map<String, Target> targets,
        List<Chain> chains,
        OnCallSchedules schedules,
        BlastRadius blastRadius,
        List<Threshold> thresholds,
        PatternPolicy patterns,
        CommandRules commands,
        boolean holdUpgradesInMaintenance,
        Set<String> upgradeInMaintenance,
        PageRateLimit pageRateLimit,
        Duration stateTtl,
        HandoverRules handover)
        implements Serializable {

    /** A severity's meaning and response SLA. */
    public record Level(String meaning, Duration acknowledgeWithin, Duration resolveWithin)
            implements Serializable {}

    /**
     * Who a tier pages: the person on call in {@code schedule}, or the fixed {@code person}, at
     * {@code routingKey} (the paging system's integration key).
     */
    public record Target(String name, String schedule, String person, String routingKey)
            implements Serializable {}

    /** One step of an escalation path: page {@code target}, wait {@code timeout} for an ack. */
    public record Tier(String target, Duration timeout) implements Serializable {}

    /**
     * An escalation path for the incidents whose services or teams match (both empty: the default
     * path). After the last tier the path repeats {@code loops} more times. {@code fallback} is
     * paged when a tier's target has nobody on call (null: go to the next tier).
     *
     * <p>A chain may also match on the incident's severity ({@code severityAtLeast}, {@code
     * severities}) and on the service catalog ({@code customerTiers}, {@code regions}, {@code
     * serviceTiers}: any of the incident's services has one of them). Every criterion a chain sets
     * must hold; services and teams together count as one (either matches), as before. A chain with
     * no criteria at all is the default.
     */
    public record Chain(
            String id,
            Set<String> services,
            Set<String> teams,
            List<Tier> tiers,
            int loops,
            String fallback,
            Severity severityAtLeast,
            Set<Severity> severities,
            Set<String> customerTiers,
            Set<String> regions,
            Set<String> serviceTiers)
            implements Serializable {

        /** A chain that matches on services and teams only. */
        public Chain(
                String id,
                Set<String> services,
                Set<String> teams,
                List<Tier> tiers,
                int loops,
                String fallback) {
            this(
                    id, services, teams, tiers, loops, fallback, null, Set.of(), Set.of(), Set.of(),
                    Set.of());
        }

        public boolean isDefault() {
            return services.isEmpty()
                    && teams.isEmpty()
                    && severityAtLeast == null
                    && severities.isEmpty()
                    && customerTiers.isEmpty()
                    && regions.isEmpty()
                    && serviceTiers.isEmpty();
        }

        /** Whether this (non-default) chain's criteria all hold for {@code m}. */
        public boolean matches(RoutingFacts m) {
            boolean who =
                    (services.isEmpty() && teams.isEmpty())
                            || m.services().stream().anyMatch(services::contains)
                            || m.teams().stream().anyMatch(teams::contains);
            return who
                    && (severityAtLeast == null
                            || (m.severity() != null
                                    && !SeverityScale.moreSevere(severityAtLeast, m.severity())))
                    && (severities.isEmpty()
                            || (m.severity() != null && severities.contains(m.severity())))
                    && anyOf(customerTiers, m.customerTiers())
                    && anyOf(regions, m.regions())
                    && anyOf(serviceTiers, m.serviceTiers());
        }

        private static boolean anyOf(Set<String> wanted, Set<String> present) {
            return wanted.isEmpty() || present.stream().anyMatch(wanted::contains);
        }
    }

    /**
     * What a chain is chosen by: the incident's services (root cause first), their teams, its
     * severity, and from the service catalog its services' customer tiers, regions and service
     * tiers.
     */
    public record RoutingFacts(
            List<String> services,
            Set<String> teams,
            Severity severity,
            Set<String> customerTiers,
            Set<String> regions,
            Set<String> serviceTiers) {}

    /**
     * More than {@code maxServices} services in one incident upgrades it to {@code severity}; a
     * service of a tier in {@code criticalTiers} (topology) upgrades it to {@code tierSeverity}.
     */
    public record BlastRadius(
            int maxServices, Severity severity, Set<String> criticalTiers, Severity tierSeverity)
            implements Serializable {}

    /**
     * An alert whose label or annotation {@code key} (a number) is above {@code above} upgrades its
     * incident to {@code severity}; e.g. key anomaly_score for telemetry anomalies.
     */
    public record Threshold(String id, String key, double above, Severity severity)
            implements Serializable {}

    /**
     * @param allowed roles that may issue each command type ("*" = anyone)
     * @param approvalFor downgrading from these severities needs an APPROVE by a second person
     * @param approverRoles roles whose APPROVE counts
     * @param overrideRoles roles that may downgrade a severity an automatic trigger set
     * @param reasonRequired command types that must carry a reason
     * @param approvalTimeout a downgrade not approved this long after its request is rejected
     */
    public record CommandRules(
            Map<CommandType, Set<String>> allowed,
            Set<Severity> approvalFor,
            Set<String> approverRoles,
            Set<String> overrideRoles,
            Set<CommandType> reasonRequired,
            Duration approvalTimeout)
            implements Serializable {

        public boolean allows(CommandType type, String role) {
            Set<String> roles = allowed.getOrDefault(type, Set.of());
            return roles.contains("*") || roles.contains(role);
        }
    }

    /**
     * When a command needs a handover (policy {@code escalation.handover}): the command carries one
     * inline, or a HANDOVER was recorded on the incident at most {@code within} before it.
     *
     * @param requiredFor command types that need one (e.g. REASSIGN)
     * @param requiredForUpgradeTo an UPGRADE to this severity or a more severe one needs one (null:
     *     none does, unless UPGRADE is in {@code requiredFor})
     * @param within how old a recorded HANDOVER may be and still count
     * @param onRotation page the incoming on-call person when the rotation of a paged, open
     *     incident's tier hands over
     */
    public record HandoverRules(
            Set<CommandType> requiredFor,
            Severity requiredForUpgradeTo,
            Duration within,
            boolean onRotation)
            implements Serializable {

        /** Whether a command of {@code type} (to {@code target}, for an upgrade) needs one. */
        public boolean required(CommandType type, Severity target) {
            if (requiredFor.contains(type)) {
                return true;
            }
            return type == CommandType.UPGRADE
                    && requiredForUpgradeTo != null
                    && target != null
                    && !SeverityScale.moreSevere(requiredForUpgradeTo, target);
        }

        /** Nothing needs a handover; rotations page the incoming person. */
        public static HandoverRules defaults() {
            return new HandoverRules(Set.of(), null, Duration.ofMinutes(30), true);
        }
    }

    /** The chain for an incident with these services and teams. */
    public Chain chainFor(List<String> services, Set<String> teams) {
        return chainFor(new RoutingFacts(services, teams, null, Set.of(), Set.of(), Set.of()));
    }

    /** The first chain whose criteria all hold, else the default chain (null: none). */
    public Chain chainFor(RoutingFacts facts) {
        Chain fallback = null;
        for (Chain c : chains) {
            if (c.isDefault()) {
                fallback = c;
            } else if (c.matches(facts)) {
                return c;
            }
        }
        return fallback;
    }

    public Level level(Severity s) {
        return levels.get(s == Severity.UNKNOWN ? Severity.SEV4 : s);
    }

    /** Built-in SLAs, no targets or chains (nobody is paged), default triggers and rules. */
    public static EscalationPolicy defaults() {
        Map<Severity, Level> levels = new EnumMap<>(Severity.class);
        levels.put(
                Severity.SEV1,
                new Level("critical business impact", Duration.ofMinutes(5), Duration.ofHours(1)));
        levels.put(
                Severity.SEV2,
                new Level("major degradation", Duration.ofMinutes(15), Duration.ofHours(4)));
        levels.put(
                Severity.SEV3, new Level("minor impact", Duration.ofHours(1), Duration.ofDays(1)));
        levels.put(
                Severity.SEV4,
                new Level("no user impact", Duration.ofHours(4), Duration.ofDays(3)));
        return new EscalationPolicy(
                Map.copyOf(levels),
                Severity.SEV2,
                0.8,
                Map.of(),
                List.of(),
                OnCallSchedules.empty(),
                new BlastRadius(5, Severity.SEV2, Set.of(), Severity.SEV2),
                List.of(),
                PatternPolicy.defaults(),
                defaultCommandRules(),
                true,
                Set.of(),
                new PageRateLimit(20, Duration.ofMinutes(1)),
                Duration.ofDays(7),
                HandoverRules.defaults());
    }

    static CommandRules defaultCommandRules() {
        Set<String> responders = Set.of("responder", "team-lead", "incident-commander");
        Set<String> leads = Set.of("team-lead", "incident-commander");
        Map<CommandType, Set<String>> allowed = new EnumMap<>(CommandType.class);
        allowed.put(CommandType.ACKNOWLEDGE, responders);
        allowed.put(CommandType.RESOLVE, responders);
        allowed.put(CommandType.UPGRADE, responders);
        allowed.put(CommandType.DOWNGRADE, responders);
        allowed.put(CommandType.REASSIGN, leads);
        allowed.put(CommandType.ADD_NOTE, Set.of("*"));
        allowed.put(CommandType.APPROVE, leads);
        allowed.put(CommandType.HANDOVER, responders);
        allowed.put(CommandType.CLASSIFY, responders);
        return new CommandRules(
                Map.copyOf(allowed),
                Set.of(Severity.SEV1, Severity.SEV2),
                leads,
                Set.of("incident-commander"),
                Set.of(CommandType.DOWNGRADE, CommandType.RESOLVE),
                Duration.ofHours(1));
    }
}
