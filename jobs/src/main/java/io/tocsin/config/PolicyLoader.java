package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tocsin.avro.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a policy YAML file into a {@link Policy}. Missing sections take their defaults; unknown
 * fields, bad values and bad types fail with the file, the field and the reason.
 */
public final class PolicyLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicyLoader() {}

    public static Policy load(Path file) {
        return ConfigFiles.fromFile(file, PolicyLoader::parse);
    }

    /** Loads a policy bundled on the classpath, e.g. {@code policy/default.yaml}. */
    public static Policy loadResource(String resource) {
        return ConfigFiles.fromResource(resource, PolicyLoader::parse);
    }

    public static Policy parse(String fileName, InputStream in) {
        JsonNode tree;
        try {
            tree = YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException(
                    fileName, "", "not valid YAML: " + firstLine(e.getMessage()), e);
        }
        ConfigNode root =
                new ConfigNode(fileName, "", tree)
                        .allowOnly(
                                Set.of(
                                        "ingest",
                                        "severity",
                                        "dedupe",
                                        "suppression",
                                        "correlation",
                                        "anomaly",
                                        "escalation"));
        return new Policy(
                ingest(root.get("ingest")),
                severity(root.get("severity")),
                dedupe(root.get("dedupe")),
                SuppressionRulesReader.read(root.get("suppression")),
                correlation(root.get("correlation")),
                anomaly(root.get("anomaly")),
                EscalationPolicyReader.read(root.get("escalation")));
    }

    /** The {@code anomaly} section as written; null where left out. */
    record RawAnomaly(
            Double fireLevel,
            Integer fireAfter,
            Integer fireWithin,
            Duration minHistory,
            Double resolveLevel,
            Integer resolveAfter,
            Duration firingHold,
            Duration resendEvery,
            Duration stateTtl,
            String alertName,
            String severity) {}

    private static AnomalyPolicy anomaly(ConfigNode n) {
        RawAnomaly raw = ConfigBinder.bind(n, RawAnomaly.class);
        AnomalyPolicy d = AnomalyPolicy.defaults();
        double fireLevel = between(n.get("fireLevel"), raw.fireLevel(), d.fireLevel(), 0.01, 1);
        double resolveLevel =
                between(n.get("resolveLevel"), raw.resolveLevel(), d.resolveLevel(), 0, 1);
        if (resolveLevel > fireLevel) {
            throw n.get("resolveLevel")
                    .error("must not be above fireLevel (" + fireLevel + "), got " + resolveLevel);
        }
        int fireWithin = between(n.get("fireWithin"), raw.fireWithin(), d.fireWithin(), 1, 32);
        int fireAfter = between(n.get("fireAfter"), raw.fireAfter(), d.fireAfter(), 1, fireWithin);
        Duration firingHold = positive(n.get("firingHold"), raw.firingHold(), d.firingHold());
        Duration stateTtl = positive(n.get("stateTtl"), raw.stateTtl(), d.stateTtl());
        if (firingHold.compareTo(stateTtl) >= 0) {
            throw n.get("firingHold")
                    .error("must be shorter than stateTtl (" + stateTtl + "), got " + firingHold);
        }
        return new AnomalyPolicy(
                fireLevel,
                fireAfter,
                fireWithin,
                or(raw.minHistory(), d.minHistory()),
                resolveLevel,
                between(n.get("resolveAfter"), raw.resolveAfter(), d.resolveAfter(), 1, 100_000),
                firingHold,
                positive(n.get("resendEvery"), raw.resendEvery(), d.resendEvery()),
                stateTtl,
                or(raw.alertName(), d.alertName()),
                or(raw.severity(), d.severity()),
                DetectorSettings.DEFAULTS);
    }

    /** {@code value}, or {@code fallback} when left out; fails at {@code n} outside min..max. */
    private static double between(
            ConfigNode n, Double value, double fallback, double min, double max) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= min && value <= max)) {
            throw n.error("must be between " + min + " and " + max + ", got " + n.text("?"));
        }
        return value;
    }

    /** The {@code ingest} section as written; null where left out. */
    record RawIngest(
            Duration maxOutOfOrderness,
            Duration idleTimeout,
            Integer maxRecordBytes,
            String format,
            Duration liveLag,
            Duration heartbeatInterval) {}

    private static IngestPolicy ingest(ConfigNode n) {
        RawIngest raw = ConfigBinder.bind(n, RawIngest.class);
        IngestPolicy d = IngestPolicy.defaults();
        Duration ooo = or(raw.maxOutOfOrderness(), d.maxOutOfOrderness());
        if (ooo.isNegative()) {
            throw n.get("maxOutOfOrderness").error("must not be negative");
        }
        return new IngestPolicy(
                ooo,
                positive(n.get("idleTimeout"), raw.idleTimeout(), d.idleTimeout()),
                between(
                        n.get("maxRecordBytes"),
                        raw.maxRecordBytes(),
                        d.maxRecordBytes(),
                        1024,
                        64 * 1024 * 1024),
                format(n.get("format"), raw.format()),
                liveLag(n.get("liveLag"), or(raw.liveLag(), d.liveLag())),
                heartbeatInterval(
                        n.get("heartbeatInterval"),
                        positive(
                                n.get("heartbeatInterval"),
                                raw.heartbeatInterval(),
                                d.heartbeatInterval())));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** {@code value}, or {@code fallback} when left out; fails at {@code n} unless above zero. */
    private static Duration positive(ConfigNode n, Duration value, Duration fallback) {
        Duration d = or(value, fallback);
        if (d.isNegative() || d.isZero()) {
            throw n.error("must be greater than zero, got " + n.text("?"));
        }
        return d;
    }

    /** {@code value}, or {@code fallback} when left out; fails at {@code n} outside min..max. */
    private static int between(ConfigNode n, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw n.error("must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** {@code every}, already above zero; fails at {@code n} outside 10ms..10s. */
    private static Duration heartbeatInterval(ConfigNode n, Duration every) {
        if (every.compareTo(Duration.ofMillis(10)) < 0
                || every.compareTo(Duration.ofSeconds(10)) > 0) {
            throw n.error("must be between 10ms and 10s (a quiet input's time moves at this pace)");
        }
        return every;
    }

    /** {@code lag}; fails at {@code n} outside 0s..1m. */
    private static Duration liveLag(ConfigNode n, Duration lag) {
        if (lag.isNegative() || lag.compareTo(Duration.ofMinutes(1)) > 0) {
            throw n.error("must be between 0s and 1m (it is the latency of every page)");
        }
        return lag;
    }

    /** The format named by {@code text} (auto when left out); fails at {@code n} otherwise. */
    private static IngestPolicy.AlertFormat format(ConfigNode n, String text) {
        String t = or(text, "auto").trim().toUpperCase(Locale.ROOT);
        try {
            return IngestPolicy.AlertFormat.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw n.error("unknown format '" + text + "' (auto, avro, webhook or json)");
        }
    }

    private static SeverityTable severity(ConfigNode n) {
        n.allowOnly(Set.of("labels", "default", "map"));
        SeverityTable d = SeverityTable.defaults();
        List<String> labels = n.get("labels").isMissing() ? d.labels() : n.get("labels").textList();
        if (labels.isEmpty()) {
            throw n.get("labels").error("must name at least one label");
        }
        Severity fallback = n.get("default").isMissing() ? d.fallback() : level(n.get("default"));
        Map<String, Severity> mapping;
        if (n.get("map").isMissing()) {
            mapping = d.mapping();
        } else {
            mapping = new HashMap<>();
            for (Map.Entry<String, Severity> e : n.get("map").map(PolicyLoader::level).entrySet()) {
                mapping.put(e.getKey().trim().toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        return new SeverityTable(labels, mapping, fallback);
    }

    static Severity level(ConfigNode n) {
        String t = n.requiredText().trim().toUpperCase(Locale.ROOT);
        try {
            Severity s = Severity.valueOf(t);
            if (s != Severity.UNKNOWN) {
                return s;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through to the error below
        }
        throw n.error(
                "unknown severity level '"
                        + n.text("")
                        + "' (one of "
                        + Arrays.stream(Severity.values())
                                .filter(s -> s != Severity.UNKNOWN)
                                .map(Enum::name)
                                .collect(Collectors.joining(", "))
                        + ")");
    }

    /** The {@code dedupe} section as written; null where left out. */
    record RawDedupe(
            Duration resolveTimeout,
            Duration stateTtl,
            Integer flapThreshold,
            Duration flapWindow,
            Duration flapStableFor) {}

    private static DedupePolicy dedupe(ConfigNode n) {
        RawDedupe raw = ConfigBinder.bind(n, RawDedupe.class);
        DedupePolicy d = DedupePolicy.defaults();
        return new DedupePolicy(
                positive(n.get("resolveTimeout"), raw.resolveTimeout(), d.resolveTimeout()),
                positive(n.get("stateTtl"), raw.stateTtl(), d.stateTtl()),
                between(n.get("flapThreshold"), raw.flapThreshold(), d.flapThreshold(), 1, 1000),
                positive(n.get("flapWindow"), raw.flapWindow(), d.flapWindow()),
                positive(n.get("flapStableFor"), raw.flapStableFor(), d.flapStableFor()));
    }

    private static CorrelationPolicy correlation(ConfigNode n) {
        n.allowOnly(
                Set.of(
                        "domainLabel",
                        "defaultDomain",
                        "groupGap",
                        "quietPeriod",
                        "maxIncidentAge",
                        "topologyHops",
                        "reopenWindow",
                        "recurrenceRetention",
                        "labelRules",
                        "linkWindow",
                        "causalitySlack",
                        "cascadeWindow",
                        "partitionLabel",
                        "crossDomainLinks",
                        "learning",
                        "meshCalls"));
        CorrelationPolicy d = CorrelationPolicy.defaults();
        List<CorrelationPolicy.LabelRule> rules = new java.util.ArrayList<>();
        if (n.get("labelRules").isMissing()) {
            rules.addAll(d.labelRules());
        }
        for (ConfigNode r : n.get("labelRules").list()) {
            r.allowOnly(Set.of("name", "equal"));
            List<String> equal = r.get("equal").textList();
            if (equal.isEmpty()) {
                throw r.get("equal").error("name at least one label");
            }
            rules.add(new CorrelationPolicy.LabelRule(r.get("name").requiredText(), equal));
        }
        return new CorrelationPolicy(
                n.get("domainLabel").text(d.domainLabel()),
                n.get("defaultDomain").text(d.defaultDomain()),
                n.get("groupGap").positiveDuration(d.groupGap()),
                n.get("quietPeriod").positiveDuration(d.quietPeriod()),
                n.get("maxIncidentAge").positiveDuration(d.maxIncidentAge()),
                n.get("topologyHops").intValue(d.topologyHops(), 0, 10),
                n.get("reopenWindow").positiveDuration(d.reopenWindow()),
                n.get("recurrenceRetention").positiveDuration(d.recurrenceRetention()),
                rules,
                n.get("linkWindow").positiveDuration(d.linkWindow()),
                n.get("causalitySlack").duration(d.causalitySlack()),
                n.get("cascadeWindow").positiveDuration(d.cascadeWindow()),
                n.get("partitionLabel").text(d.partitionLabel()),
                n.get("crossDomainLinks").bool(d.crossDomainLinks()),
                learning(n.get("learning"), d.learning()),
                meshCalls(n.get("meshCalls"), d.meshCalls()));
    }

    private static CorrelationPolicy.Learning learning(ConfigNode n, CorrelationPolicy.Learning d) {
        n.allowOnly(
                Set.of(
                        "enabled",
                        "window",
                        "burstGap",
                        "minSupport",
                        "minConfidence",
                        "maxPairs",
                        "retention"));
        return new CorrelationPolicy.Learning(
                n.get("enabled").bool(d.enabled()),
                n.get("window").positiveDuration(d.window()),
                n.get("burstGap").positiveDuration(d.burstGap()),
                n.get("minSupport").intValue(d.minSupport(), 1, 1000),
                n.get("minConfidence").doubleValue(d.minConfidence(), 0.0, 1.0),
                n.get("maxPairs").intValue(d.maxPairs(), 1, 1_000_000),
                n.get("retention").positiveDuration(d.retention()));
    }

    private static List<CorrelationPolicy.MeshCallLabels> meshCalls(
            ConfigNode n, List<CorrelationPolicy.MeshCallLabels> d) {
        if (n.isMissing()) {
            return d;
        }
        List<CorrelationPolicy.MeshCallLabels> out = new java.util.ArrayList<>();
        for (ConfigNode m : n.list()) {
            m.allowOnly(Set.of("caller", "callee"));
            String caller = m.get("caller").requiredText();
            String callee = m.get("callee").requiredText();
            if (caller.equals(callee)) {
                throw m.get("callee").error("must differ from caller ('" + caller + "')");
            }
            out.add(new CorrelationPolicy.MeshCallLabels(caller, callee));
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
