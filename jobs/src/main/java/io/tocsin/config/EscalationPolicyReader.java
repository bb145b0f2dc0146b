package io.tocsin.config;

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

/**
 * Reads the policy file's {@code escalation:} section into an {@link EscalationPolicy}; every error
 * names the file, the field and why. Cross-references are checked here, at start: a tier naming a
 * target that does not exist, or a target naming a schedule that does not, fails fast.
 */
public final class EscalationPolicyReader {

    private EscalationPolicyReader() {}

    public static EscalationPolicy read(ConfigNode n) {
        n.allowOnly(
                Set.of(
                        "levels",
                        "pageAtOrAbove",
                        "slaWarning",
                        "targets",
                        "chains",
                        "schedules",
                        "blastRadius",
                        "thresholds",
                        "patterns",
                        "commands",
                        "maintenance",
                        "pageRateLimit",
                        "stateTtl"));
        EscalationPolicy d = EscalationPolicy.defaults();
        OnCallSchedules schedules =
                n.get("schedules").isMissing()
                        ? OnCallSchedules.empty()
                        : OnCallSchedules.from(n.get("schedules"));
        Map<String, EscalationPolicy.Target> targets = targets(n.get("targets"), schedules);
        ConfigNode maintenance = n.get("maintenance");
        maintenance.allowOnly(Set.of("holdUpgrades", "except"));
        ConfigNode rate = n.get("pageRateLimit");
        rate.allowOnly(Set.of("maxPages", "per"));
        return new EscalationPolicy(
                levels(n.get("levels"), d.levels()),
                n.get("pageAtOrAbove").isMissing()
                        ? d.pageAtOrAbove()
                        : PolicyLoader.level(n.get("pageAtOrAbove")),
                n.get("slaWarning").doubleValue(d.slaWarning(), 0.05, 1),
                targets,
                chains(n.get("chains"), targets),
                schedules,
                blastRadius(n.get("blastRadius"), d.blastRadius()),
                thresholds(n.get("thresholds")),
                n.get("patterns").isMissing()
                        ? PatternPolicy.defaults()
                        : PatternPolicy.from(n.get("patterns")),
                commands(n.get("commands"), d.commands()),
                maintenance.get("holdUpgrades").bool(d.holdUpgradesInMaintenance()),
                Set.copyOf(maintenance.get("except").textList()),
                new PageRateLimit(
                        rate.get("maxPages")
                                .intValue(d.pageRateLimit().maxPages(), 1, PageRateLimit.MAX_PAGES),
                        rate.get("per").positiveDuration(d.pageRateLimit().per())),
                n.get("stateTtl").positiveDuration(d.stateTtl()));
    }

    private static Map<Severity, EscalationPolicy.Level> levels(
            ConfigNode n, Map<Severity, EscalationPolicy.Level> defaults) {
        Map<Severity, EscalationPolicy.Level> out = new EnumMap<>(defaults);
        n.map(v -> v)
                .forEach(
                        (name, v) -> {
                            Severity s = PolicyLoader.level(n.get(name).withText(name));
                            v.allowOnly(Set.of("meaning", "acknowledgeWithin", "resolveWithin"));
                            EscalationPolicy.Level base = defaults.get(s);
                            Duration ack =
                                    v.get("acknowledgeWithin")
                                            .positiveDuration(base.acknowledgeWithin());
                            Duration resolve =
                                    v.get("resolveWithin").positiveDuration(base.resolveWithin());
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
                                            v.get("meaning").text(base.meaning()), ack, resolve));
                        });
        return Map.copyOf(out);
    }

    private static Map<String, EscalationPolicy.Target> targets(
            ConfigNode n, OnCallSchedules schedules) {
        Map<String, EscalationPolicy.Target> out = new LinkedHashMap<>();
        n.map(v -> v)
                .forEach(
                        (name, v) -> {
                            v.allowOnly(Set.of("schedule", "person", "routingKey"));
                            String schedule = v.get("schedule").text(null);
                            String person = v.get("person").text(null);
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
                                                                new java.util.TreeSet<>(
                                                                        schedules.ids()))
                                                        + ")");
                            }
                            out.put(
                                    name,
                                    new EscalationPolicy.Target(
                                            name,
                                            schedule,
                                            person,
                                            v.get("routingKey").requiredText()));
                        });
        return Map.copyOf(out);
    }

    private static List<EscalationPolicy.Chain> chains(
            ConfigNode n, Map<String, EscalationPolicy.Target> targets) {
        List<EscalationPolicy.Chain> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int defaults = 0;
        for (ConfigNode c : n.list()) {
            c.allowOnly(Set.of("id", "services", "teams", "tiers", "loops", "fallback"));
            String id = c.get("id").requiredText();
            if (!ids.add(id)) {
                throw c.get("id").error("duplicate chain id '" + id + "'");
            }
            List<EscalationPolicy.Tier> tiers = new ArrayList<>();
            for (ConfigNode t : c.get("tiers").list()) {
                t.allowOnly(Set.of("target", "timeout"));
                tiers.add(
                        new EscalationPolicy.Tier(
                                target(t.get("target"), targets),
                                t.get("timeout").positiveDuration(Duration.ofMinutes(5))));
            }
            if (tiers.isEmpty()) {
                throw c.get("tiers").error("needs at least one tier");
            }
            String fallback =
                    c.get("fallback").isMissing() ? null : target(c.get("fallback"), targets);
            EscalationPolicy.Chain chain =
                    new EscalationPolicy.Chain(
                            id,
                            Set.copyOf(c.get("services").textList()),
                            Set.copyOf(c.get("teams").textList()),
                            List.copyOf(tiers),
                            c.get("loops").intValue(0, 0, 10),
                            fallback);
            if (chain.isDefault() && ++defaults > 1) {
                throw c.error("only one chain may match everything (no services and no teams)");
            }
            out.add(chain);
        }
        return List.copyOf(out);
    }

    private static String target(ConfigNode n, Map<String, EscalationPolicy.Target> targets) {
        String name = n.requiredText();
        if (!targets.containsKey(name)) {
            throw n.error(
                    "no target '"
                            + name
                            + "' (defined: "
                            + String.join(", ", new java.util.TreeSet<>(targets.keySet()))
                            + ")");
        }
        return name;
    }

    private static EscalationPolicy.BlastRadius blastRadius(
            ConfigNode n, EscalationPolicy.BlastRadius d) {
        n.allowOnly(Set.of("maxServices", "severity", "criticalTiers", "tierSeverity"));
        return new EscalationPolicy.BlastRadius(
                n.get("maxServices").intValue(d.maxServices(), 1, 10_000),
                n.get("severity").isMissing()
                        ? d.severity()
                        : PolicyLoader.level(n.get("severity")),
                Set.copyOf(n.get("criticalTiers").textList()),
                n.get("tierSeverity").isMissing()
                        ? d.tierSeverity()
                        : PolicyLoader.level(n.get("tierSeverity")));
    }

    private static List<EscalationPolicy.Threshold> thresholds(ConfigNode n) {
        List<EscalationPolicy.Threshold> out = new ArrayList<>();
        for (ConfigNode t : n.list()) {
            t.allowOnly(Set.of("id", "key", "above", "severity"));
            if (t.get("above").isMissing()) {
                throw t.get("above").error("required");
            }
            out.add(
                    new EscalationPolicy.Threshold(
                            t.get("id").requiredText(),
                            t.get("key").requiredText(),
                            t.get("above").doubleValue(0, -Double.MAX_VALUE, Double.MAX_VALUE),
                            PolicyLoader.level(t.get("severity"))));
        }
        return List.copyOf(out);
    }

    private static EscalationPolicy.CommandRules commands(
            ConfigNode n, EscalationPolicy.CommandRules d) {
        n.allowOnly(
                Set.of(
                        "allowed",
                        "approvalFor",
                        "approverRoles",
                        "overrideRoles",
                        "reasonRequired",
                        "approvalTimeout"));
        Map<CommandType, Set<String>> allowed = new EnumMap<>(CommandType.class);
        allowed.putAll(d.allowed());
        n.get("allowed")
                .map(ConfigNode::textList)
                .forEach(
                        (type, roles) ->
                                allowed.put(
                                        commandType(n.get("allowed").get(type).withText(type)),
                                        Set.copyOf(roles)));
        Set<Severity> approvalFor = d.approvalFor();
        if (!n.get("approvalFor").isMissing()) {
            Set<Severity> s = new HashSet<>();
            for (ConfigNode level : n.get("approvalFor").list()) {
                s.add(PolicyLoader.level(level));
            }
            approvalFor = Set.copyOf(s);
        }
        Set<CommandType> reasons = d.reasonRequired();
        if (!n.get("reasonRequired").isMissing()) {
            Set<CommandType> s = new HashSet<>();
            for (ConfigNode type : n.get("reasonRequired").list()) {
                s.add(commandType(type));
            }
            reasons = Set.copyOf(s);
        }
        return new EscalationPolicy.CommandRules(
                Map.copyOf(allowed),
                approvalFor,
                n.get("approverRoles").isMissing()
                        ? d.approverRoles()
                        : Set.copyOf(n.get("approverRoles").textList()),
                n.get("overrideRoles").isMissing()
                        ? d.overrideRoles()
                        : Set.copyOf(n.get("overrideRoles").textList()),
                reasons,
                n.get("approvalTimeout").positiveDuration(d.approvalTimeout()));
    }

    private static CommandType commandType(ConfigNode n) {
        String t = n.requiredText().toUpperCase(Locale.ROOT);
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
                        + n.requiredText()
                        + "' (one of ACKNOWLEDGE, RESOLVE, UPGRADE, DOWNGRADE, REASSIGN, ADD_NOTE, APPROVE)");
    }
}
