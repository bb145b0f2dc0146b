package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the policy file's {@code escalation:} section into an {@link EscalationPolicy}; every error
 * names the file, the field and why. Cross-references are checked here, at start: a tier naming a
 * target that does not exist, or a target naming a schedule that does not, fails fast.
 */
public final class EscalationPolicyReader {

    private EscalationPolicyReader() {}

    /** The section as written; null where left out. Its mappings and lists bind on their own. */
    record RawEscalation(
            JsonNode levels,
            String pageAtOrAbove,
            Double slaWarning,
            JsonNode targets,
            JsonNode chains,
            JsonNode schedules,
            JsonNode blastRadius,
            JsonNode thresholds,
            JsonNode patterns,
            JsonNode commands,
            JsonNode maintenance,
            JsonNode pageRateLimit,
            Duration stateTtl,
            JsonNode handover) {}

    /** A severity level's clocks as written; null where left out. */
    record RawLevel(String meaning, Duration acknowledgeWithin, Duration resolveWithin) {}

    /** A page target as written; null where left out. */
    record RawTarget(String schedule, String person, String routingKey) {}

    /** A chain as written; null where left out. Its tiers bind on their own. */
    record RawChain(
            String id,
            List<String> services,
            List<String> teams,
            List<JsonNode> tiers,
            Integer loops,
            String fallback,
            String severityAtLeast,
            List<String> severities,
            List<String> customerTiers,
            List<String> regions,
            List<String> serviceTiers) {}

    /** A chain's tier as written; null where left out. */
    record RawTier(String target, Duration timeout) {}

    /** {@code blastRadius} as written; null where left out. */
    record RawBlastRadius(
            Integer maxServices,
            String severity,
            List<String> criticalTiers,
            String tierSeverity) {}

    /** A threshold as written; null where left out. */
    record RawThreshold(String id, String key, Double above, String severity) {}

    /** {@code commands} as written; null where left out. */
    record RawCommands(
            Map<String, List<String>> allowed,
            List<String> approvalFor,
            List<String> approverRoles,
            List<String> overrideRoles,
            List<String> reasonRequired,
            Duration approvalTimeout) {}

    /** {@code maintenance} as written; null where left out. */
    record RawMaintenance(Boolean holdUpgrades, List<String> except) {}

    /** {@code handover} as written; null where left out. */
    record RawHandover(
            List<String> requiredFor,
            String requiredForUpgradeTo,
            Duration within,
            Boolean onRotation) {}

    /** {@code pageRateLimit} as written; null where left out. */
    record RawPageRateLimit(Integer maxPages, Duration per) {}

    public static EscalationPolicy read(ConfigNode n) {
        RawEscalation raw = ConfigBinder.bind(n, RawEscalation.class);
        EscalationPolicy d = EscalationPolicy.defaults();
        OnCallSchedules schedules =
                n.get("schedules").isMissing()
                        ? OnCallSchedules.empty()
                        : OnCallSchedules.from(n.get("schedules"));
        Map<String, EscalationPolicy.Target> targets = targets(n.get("targets"), schedules);
        ConfigNode maintenance = n.get("maintenance");
        RawMaintenance m = ConfigBinder.bind(maintenance, RawMaintenance.class);
        ConfigNode rate = n.get("pageRateLimit");
        RawPageRateLimit r = ConfigBinder.bind(rate, RawPageRateLimit.class);
        return new EscalationPolicy(
                levels(n.get("levels"), d.levels()),
                raw.pageAtOrAbove() == null
                        ? d.pageAtOrAbove()
                        : PolicyLoader.level(n.get("pageAtOrAbove"), raw.pageAtOrAbove()),
                ConfigBinder.between(
                        n.get("slaWarning"), raw.slaWarning(), d.slaWarning(), 0.05, 1),
                targets,
                chains(n.get("chains"), targets),
                schedules,
                blastRadius(n.get("blastRadius"), d.blastRadius()),
                thresholds(n.get("thresholds")),
                n.get("patterns").isMissing()
                        ? PatternPolicy.defaults()
                        : PatternPolicy.from(n.get("patterns")),
                commands(n.get("commands"), d.commands()),
                ConfigBinder.or(m.holdUpgrades(), d.holdUpgradesInMaintenance()),
                Set.copyOf(ConfigBinder.texts(maintenance.get("except"), m.except())),
                new PageRateLimit(
                        ConfigBinder.between(
                                rate.get("maxPages"),
                                r.maxPages(),
                                d.pageRateLimit().maxPages(),
                                1,
                                PageRateLimit.MAX_PAGES),
                        ConfigBinder.positive(rate.get("per"), r.per(), d.pageRateLimit().per())),
                ConfigBinder.positive(n.get("stateTtl"), raw.stateTtl(), d.stateTtl()),
                handover(n.get("handover"), d.handover()));
    }

    private static EscalationPolicy.HandoverRules handover(
            ConfigNode n, EscalationPolicy.HandoverRules d) {
        RawHandover raw = ConfigBinder.bind(n, RawHandover.class);
        Set<CommandType> requiredFor = d.requiredFor();
        if (raw.requiredFor() != null) {
            List<ConfigNode> at = n.get("requiredFor").list();
            Set<CommandType> s = new HashSet<>();
            for (int i = 0; i < raw.requiredFor().size(); i++) {
                CommandType t = commandType(at.get(i), raw.requiredFor().get(i));
                if (t == CommandType.HANDOVER) {
                    throw at.get(i).error("a handover is itself the handover; name other commands");
                }
                s.add(t);
            }
            requiredFor = Set.copyOf(s);
        }
        return new EscalationPolicy.HandoverRules(
                requiredFor,
                raw.requiredForUpgradeTo() == null
                        ? d.requiredForUpgradeTo()
                        : PolicyLoader.level(
                                n.get("requiredForUpgradeTo"), raw.requiredForUpgradeTo()),
                ConfigBinder.positive(n.get("within"), raw.within(), d.within()),
                ConfigBinder.or(raw.onRotation(), d.onRotation()));
    }

    private static Map<Severity, EscalationPolicy.Level> levels(
            ConfigNode n, Map<Severity, EscalationPolicy.Level> defaults) {
        Map<Severity, EscalationPolicy.Level> out = new EnumMap<>(defaults);
        n.map(v -> v)
                .forEach(
                        (name, v) -> {
                            Severity s = PolicyLoader.level(v, name);
                            RawLevel raw = ConfigBinder.bind(v, RawLevel.class);
                            EscalationPolicy.Level base = defaults.get(s);
                            Duration ack =
                                    ConfigBinder.positive(
                                            v.get("acknowledgeWithin"),
                                            raw.acknowledgeWithin(),
                                            base.acknowledgeWithin());
                            Duration resolve =
                                    ConfigBinder.positive(
                                            v.get("resolveWithin"),
                                            raw.resolveWithin(),
                                            base.resolveWithin());
                            if (resolve.compareTo(ack) < 0) {
                                throw v.get("resolveWithin")
                                        .error(
                                                "must not be shorter than acknowledgeWithin ("
                                                        + Durations.format(ack)
                                                        + ")");
                            }
                            out.put(
                                    s,
                                    new EscalationPolicy.Level(
                                            ConfigBinder.or(raw.meaning(), base.meaning()),
                                            ack,
                                            resolve));
                        });
        return Map.copyOf(out);
    }

    private static Map<String, EscalationPolicy.Target> targets(
            ConfigNode n, OnCallSchedules schedules) {
        Map<String, EscalationPolicy.Target> out = new LinkedHashMap<>();
        n.map(v -> v)
                .forEach(
                        (name, v) -> {
                            RawTarget raw = ConfigBinder.bind(v, RawTarget.class);
                            String schedule = raw.schedule();
                            String person = raw.person();
                            if ((schedule == null) == (person == null)) {
                                throw v.error("needs exactly one of schedule or person");
                            }
                            if (schedule != null && !schedules.has(schedule)) {
                                throw v.get("schedule")
                                        .error(
                                                "no schedule '"
                                                        + schedule
                                                        + "' (defined: "
                                                        + String.join(
                                                                ", ",
                                                                new TreeSet<>(schedules.ids()))
                                                        + ")");
                            }
                            out.put(
                                    name,
                                    new EscalationPolicy.Target(
                                            name,
                                            schedule,
                                            person,
                                            ConfigBinder.required(
                                                    v.get("routingKey"), raw.routingKey())));
                        });
        return Map.copyOf(out);
    }

    private static List<EscalationPolicy.Chain> chains(
            ConfigNode n, Map<String, EscalationPolicy.Target> targets) {
        List<EscalationPolicy.Chain> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int defaults = 0;
        for (ConfigNode c : n.list()) {
            RawChain raw = ConfigBinder.bind(c, RawChain.class);
            String id = ConfigBinder.required(c.get("id"), raw.id());
            if (!ids.add(id)) {
                throw c.get("id").error("duplicate chain id '" + id + "'");
            }
            List<EscalationPolicy.Tier> tiers = new ArrayList<>();
            for (ConfigNode t : c.get("tiers").list()) {
                RawTier tier = ConfigBinder.bind(t, RawTier.class);
                tiers.add(
                        new EscalationPolicy.Tier(
                                target(t.get("target"), tier.target(), targets),
                                ConfigBinder.positive(
                                        t.get("timeout"), tier.timeout(), Duration.ofMinutes(5))));
            }
            if (tiers.isEmpty()) {
                throw c.get("tiers").error("needs at least one tier");
            }
            String fallback =
                    raw.fallback() == null
                            ? null
                            : target(c.get("fallback"), raw.fallback(), targets);
            EscalationPolicy.Chain chain =
                    new EscalationPolicy.Chain(
                            id,
                            Set.copyOf(ConfigBinder.texts(c.get("services"), raw.services())),
                            Set.copyOf(ConfigBinder.texts(c.get("teams"), raw.teams())),
                            List.copyOf(tiers),
                            ConfigBinder.between(c.get("loops"), raw.loops(), 0, 0, 10),
                            fallback,
                            raw.severityAtLeast() == null
                                    ? null
                                    : PolicyLoader.level(
                                            c.get("severityAtLeast"), raw.severityAtLeast()),
                            severities(c.get("severities"), raw.severities()),
                            Set.copyOf(
                                    ConfigBinder.texts(
                                            c.get("customerTiers"), raw.customerTiers())),
                            Set.copyOf(ConfigBinder.texts(c.get("regions"), raw.regions())),
                            Set.copyOf(
                                    ConfigBinder.texts(c.get("serviceTiers"), raw.serviceTiers())));
            if (chain.isDefault() && ++defaults > 1) {
                throw c.error("only one chain may match everything (no services and no teams)");
            }
            out.add(chain);
        }
        return List.copyOf(out);
    }

    private static Set<Severity> severities(ConfigNode n, List<String> texts) {
        if (texts == null) {
            return Set.of();
        }
        List<ConfigNode> at = n.list();
        Set<Severity> out = new HashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(PolicyLoader.level(at.get(i), texts.get(i)));
        }
        return Set.copyOf(out);
    }

    private static String target(
            ConfigNode n, String text, Map<String, EscalationPolicy.Target> targets) {
        String name = ConfigBinder.required(n, text);
        if (!targets.containsKey(name)) {
            throw n.error(
                    "no target '"
                            + name
                            + "' (defined: "
                            + String.join(", ", new TreeSet<>(targets.keySet()))
                            + ")");
        }
        return name;
    }

    private static EscalationPolicy.BlastRadius blastRadius(
            ConfigNode n, EscalationPolicy.BlastRadius d) {
        RawBlastRadius raw = ConfigBinder.bind(n, RawBlastRadius.class);
        return new EscalationPolicy.BlastRadius(
                ConfigBinder.between(
                        n.get("maxServices"), raw.maxServices(), d.maxServices(), 1, 10_000),
                raw.severity() == null
                        ? d.severity()
                        : PolicyLoader.level(n.get("severity"), raw.severity()),
                Set.copyOf(ConfigBinder.texts(n.get("criticalTiers"), raw.criticalTiers())),
                raw.tierSeverity() == null
                        ? d.tierSeverity()
                        : PolicyLoader.level(n.get("tierSeverity"), raw.tierSeverity()));
    }

    private static List<EscalationPolicy.Threshold> thresholds(ConfigNode n) {
        List<EscalationPolicy.Threshold> out = new ArrayList<>();
        for (ConfigNode t : n.list()) {
            RawThreshold raw = ConfigBinder.bind(t, RawThreshold.class);
            if (raw.above() == null) {
                throw t.get("above").error("required");
            }
            out.add(
                    new EscalationPolicy.Threshold(
                            ConfigBinder.required(t.get("id"), raw.id()),
                            ConfigBinder.required(t.get("key"), raw.key()),
                            ConfigBinder.between(
                                    t.get("above"),
                                    raw.above(),
                                    0,
                                    -Double.MAX_VALUE,
                                    Double.MAX_VALUE),
                            PolicyLoader.level(t.get("severity"), raw.severity())));
        }
        return List.copyOf(out);
    }

    private static EscalationPolicy.CommandRules commands(
            ConfigNode n, EscalationPolicy.CommandRules d) {
        RawCommands raw = ConfigBinder.bind(n, RawCommands.class);
        Map<CommandType, Set<String>> allowed = new EnumMap<>(CommandType.class);
        allowed.putAll(d.allowed());
        if (raw.allowed() != null) {
            // every role list is checked before any command type, as the walker did
            Map<String, List<String>> roles = new LinkedHashMap<>();
            raw.allowed()
                    .forEach(
                            (type, texts) ->
                                    roles.put(
                                            type,
                                            ConfigBinder.texts(n.get("allowed").get(type), texts)));
            roles.forEach(
                    (type, r) ->
                            allowed.put(
                                    commandType(n.get("allowed").get(type), type), Set.copyOf(r)));
        }
        Set<Severity> approvalFor = d.approvalFor();
        if (raw.approvalFor() != null) {
            List<ConfigNode> at = n.get("approvalFor").list();
            Set<Severity> s = new HashSet<>();
            for (int i = 0; i < raw.approvalFor().size(); i++) {
                s.add(PolicyLoader.level(at.get(i), raw.approvalFor().get(i)));
            }
            approvalFor = Set.copyOf(s);
        }
        Set<CommandType> reasons = d.reasonRequired();
        if (raw.reasonRequired() != null) {
            List<ConfigNode> at = n.get("reasonRequired").list();
            Set<CommandType> s = new HashSet<>();
            for (int i = 0; i < raw.reasonRequired().size(); i++) {
                s.add(commandType(at.get(i), raw.reasonRequired().get(i)));
            }
            reasons = Set.copyOf(s);
        }
        return new EscalationPolicy.CommandRules(
                Map.copyOf(allowed),
                approvalFor,
                raw.approverRoles() == null
                        ? d.approverRoles()
                        : Set.copyOf(
                                ConfigBinder.texts(n.get("approverRoles"), raw.approverRoles())),
                raw.overrideRoles() == null
                        ? d.overrideRoles()
                        : Set.copyOf(
                                ConfigBinder.texts(n.get("overrideRoles"), raw.overrideRoles())),
                reasons,
                ConfigBinder.positive(
                        n.get("approvalTimeout"), raw.approvalTimeout(), d.approvalTimeout()));
    }

    /** The command type named by {@code text}, read at {@code n}. */
    private static CommandType commandType(ConfigNode n, String text) {
        String t = ConfigBinder.required(n, text).toUpperCase(Locale.ROOT);
        try {
            CommandType c = CommandType.valueOf(t);
            if (c != CommandType.UNKNOWN) {
                return c;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw n.error(
                "unknown command type '"
                        + text
                        + "' (one of ACKNOWLEDGE, RESOLVE, UPGRADE, DOWNGRADE, REASSIGN, ADD_NOTE, APPROVE)");
    }
}
