package io.tocsin.config;

import static io.tocsin.config.ConfigBinder.between;
import static io.tocsin.config.ConfigBinder.or;
import static io.tocsin.config.ConfigBinder.positive;
import static io.tocsin.config.ConfigBinder.required;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tocsin.avro.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a policy YAML file into a {@link Policy}. Missing sections take their defaults; unknown
 * fields, bad values and bad types fail with the file, the field and the reason.
 */
public final class PolicyLoader {

    private static final String STATUS_UPDATES = "statusUpdates";

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
        ConfigNode root = new ConfigNode(fileName, "", tree);
        // Only the section names are checked here. statusUpdates is checked apart so that the
        // list of sections in the unknown-field message stays as PolicyLoaderTest states it.
        JsonNode sections = tree;
        if (tree != null && tree.isObject() && tree.has(STATUS_UPDATES)) {
            sections = tree.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) sections).remove(STATUS_UPDATES);
        }
        ConfigBinder.bind(new ConfigNode(fileName, "", sections), RawPolicy.class);
        return new Policy(
                ingest(root.get("ingest")),
                severity(root.get("severity")),
                dedupe(root.get("dedupe")),
                SuppressionRulesReader.read(root.get("suppression")),
                correlation(root.get("correlation")),
                anomaly(root.get("anomaly")),
                EscalationPolicyReader.read(root.get("escalation")),
                statusUpdates(fileName, root.get(STATUS_UPDATES)),
                changes(root.get("changes")));
    }

    /** Template files are looked up next to the policy: its directory, or its class-path folder. */
    private static StatusUpdatePolicy statusUpdates(String fileName, ConfigNode n) {
        String classpath = "classpath:";
        if (fileName.startsWith(classpath)) {
            String resource = fileName.substring(classpath.length());
            int slash = resource.lastIndexOf('/');
            return StatusUpdatesReader.read(n, null, slash < 0 ? "" : resource.substring(0, slash));
        }
        Path dir = Path.of(fileName).toAbsolutePath().getParent();
        return StatusUpdatesReader.read(n, dir, "");
    }

    /** The file's sections as written; each section's own reader checks what is in it. */
    record RawPolicy(
            JsonNode ingest,
            JsonNode severity,
            JsonNode dedupe,
            JsonNode suppression,
            JsonNode correlation,
            JsonNode anomaly,
            JsonNode escalation,
            JsonNode changes) {}

    /** The {@code changes} section as written; null where left out. */
    record RawChanges(
            Duration suspectWindow,
            Integer maxHops,
            Integer maxSuspects,
            Duration keepFor,
            Integer maxChanges) {}

    private static ChangesPolicy changes(ConfigNode n) {
        RawChanges raw = ConfigBinder.bind(n, RawChanges.class);
        ChangesPolicy d = ChangesPolicy.defaults();
        Duration window = positive(n.get("suspectWindow"), raw.suspectWindow(), d.suspectWindow());
        Duration keepFor = positive(n.get("keepFor"), raw.keepFor(), d.keepFor());
        if (keepFor.compareTo(window) < 0) {
            throw n.get("keepFor")
                    .error(
                            "must be at least changes.suspectWindow ("
                                    + Durations.format(window)
                                    + "), got "
                                    + Durations.format(keepFor));
        }
        return new ChangesPolicy(
                window,
                between(n.get("maxHops"), raw.maxHops(), d.maxHops(), 0, 10),
                between(n.get("maxSuspects"), raw.maxSuspects(), d.maxSuspects(), 1, 20),
                keepFor,
                between(n.get("maxChanges"), raw.maxChanges(), d.maxChanges(), 1, 1_000_000));
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

    /** The {@code ingest} section as written; null where left out. */
    record RawIngest(
            Duration maxOutOfOrderness,
            Duration idleTimeout,
            Integer maxRecordBytes,
            String format,
            Duration liveLag,
            Duration heartbeatInterval,
            Integer maxLabels,
            Integer maxLabelNameLength,
            Integer maxLabelValueLength,
            Integer maxAnnotations,
            Integer maxAnnotationLength,
            Integer maxNestingDepth) {}

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
                                d.heartbeatInterval())),
                limits(n, raw));
    }

    /** The per-record limits; each fails at its field outside a range a record can use. */
    private static InputLimits limits(ConfigNode n, RawIngest raw) {
        InputLimits d = InputLimits.DEFAULTS;
        return new InputLimits(
                between(n.get("maxLabels"), raw.maxLabels(), d.maxLabels(), 1, 100_000),
                between(
                        n.get("maxLabelNameLength"),
                        raw.maxLabelNameLength(),
                        d.maxLabelNameLength(),
                        1,
                        1 << 20),
                between(
                        n.get("maxLabelValueLength"),
                        raw.maxLabelValueLength(),
                        d.maxLabelValueLength(),
                        1,
                        64 << 20),
                between(
                        n.get("maxAnnotations"),
                        raw.maxAnnotations(),
                        d.maxAnnotations(),
                        0,
                        100_000),
                between(
                        n.get("maxAnnotationLength"),
                        raw.maxAnnotationLength(),
                        d.maxAnnotationLength(),
                        1,
                        64 << 20),
                // 8 holds a webhook payload and a control message; past 1000 a parsed tree is
                // deep enough to overflow the stack of the code that walks it.
                between(
                        n.get("maxNestingDepth"),
                        raw.maxNestingDepth(),
                        d.maxNestingDepth(),
                        8,
                        1000));
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

    /** The {@code severity} section as written; null where left out. */
    record RawSeverity(
            List<String> labels,
            @JsonProperty("default") String fallback,
            Map<String, String> map) {}

    private static SeverityTable severity(ConfigNode n) {
        RawSeverity raw = ConfigBinder.bind(n, RawSeverity.class);
        SeverityTable d = SeverityTable.defaults();
        List<String> labels =
                raw.labels() == null ? d.labels() : texts(n.get("labels"), raw.labels());
        if (labels.isEmpty()) {
            throw n.get("labels").error("must name at least one label");
        }
        Severity fallback =
                raw.fallback() == null ? d.fallback() : level(n.get("default"), raw.fallback());
        Map<String, Severity> mapping;
        if (raw.map() == null) {
            mapping = d.mapping();
        } else {
            mapping = new HashMap<>();
            for (Map.Entry<String, String> e : raw.map().entrySet()) {
                mapping.put(
                        e.getKey().trim().toLowerCase(Locale.ROOT),
                        level(n.get("map").get(e.getKey()), e.getValue()));
            }
        }
        return new SeverityTable(labels, mapping, fallback);
    }

    /** {@code texts}, each required; {@code n} is the list they were read from. */
    private static List<String> texts(ConfigNode n, List<String> texts) {
        List<ConfigNode> at = n.list();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(required(at.get(i), texts.get(i)));
        }
        return out;
    }

    /** The level named by {@code text}, read at {@code n}. */
    static Severity level(ConfigNode n, String text) {
        String t = required(n, text).trim().toUpperCase(Locale.ROOT);
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
                        + text
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

    /** The {@code correlation} section as written; null where left out. */
    record RawCorrelation(
            String domainLabel,
            String defaultDomain,
            Duration groupGap,
            Duration quietPeriod,
            Duration maxIncidentAge,
            Integer topologyHops,
            Duration reopenWindow,
            Duration recurrenceRetention,
            List<RawLabelRule> labelRules,
            Duration linkWindow,
            Duration causalitySlack,
            Duration cascadeWindow,
            String partitionLabel,
            Boolean crossDomainLinks,
            RawLearning learning,
            List<RawMeshCall> meshCalls) {}

    /** One entry of {@code correlation.labelRules} as written. */
    record RawLabelRule(String name, List<String> equal) {}

    /** {@code correlation.learning} as written; null where left out. */
    record RawLearning(
            Boolean enabled,
            Duration window,
            Duration burstGap,
            Integer minSupport,
            Double minConfidence,
            Integer maxPairs,
            Duration retention) {}

    /** One entry of {@code correlation.meshCalls} as written. */
    record RawMeshCall(String caller, String callee) {}

    private static CorrelationPolicy correlation(ConfigNode n) {
        RawCorrelation raw = ConfigBinder.bind(n, RawCorrelation.class);
        CorrelationPolicy d = CorrelationPolicy.defaults();
        List<CorrelationPolicy.LabelRule> rules = new ArrayList<>();
        if (raw.labelRules() == null) {
            rules.addAll(d.labelRules());
        } else {
            List<ConfigNode> at = n.get("labelRules").list();
            for (int i = 0; i < raw.labelRules().size(); i++) {
                ConfigNode r = at.get(i);
                RawLabelRule rule = or(raw.labelRules().get(i), new RawLabelRule(null, null));
                List<String> equal = texts(r.get("equal"), or(rule.equal(), List.of()));
                if (equal.isEmpty()) {
                    throw r.get("equal").error("name at least one label");
                }
                rules.add(
                        new CorrelationPolicy.LabelRule(
                                required(r.get("name"), rule.name()), equal));
            }
        }
        return new CorrelationPolicy(
                or(raw.domainLabel(), d.domainLabel()),
                or(raw.defaultDomain(), d.defaultDomain()),
                positive(n.get("groupGap"), raw.groupGap(), d.groupGap()),
                positive(n.get("quietPeriod"), raw.quietPeriod(), d.quietPeriod()),
                positive(n.get("maxIncidentAge"), raw.maxIncidentAge(), d.maxIncidentAge()),
                between(n.get("topologyHops"), raw.topologyHops(), d.topologyHops(), 0, 10),
                positive(n.get("reopenWindow"), raw.reopenWindow(), d.reopenWindow()),
                positive(
                        n.get("recurrenceRetention"),
                        raw.recurrenceRetention(),
                        d.recurrenceRetention()),
                rules,
                positive(n.get("linkWindow"), raw.linkWindow(), d.linkWindow()),
                or(raw.causalitySlack(), d.causalitySlack()),
                positive(n.get("cascadeWindow"), raw.cascadeWindow(), d.cascadeWindow()),
                or(raw.partitionLabel(), d.partitionLabel()),
                or(raw.crossDomainLinks(), d.crossDomainLinks()),
                learning(n.get("learning"), raw.learning(), d.learning()),
                meshCalls(n.get("meshCalls"), raw.meshCalls(), d.meshCalls()));
    }

    private static CorrelationPolicy.Learning learning(
            ConfigNode n, RawLearning raw, CorrelationPolicy.Learning d) {
        RawLearning r = or(raw, new RawLearning(null, null, null, null, null, null, null));
        return new CorrelationPolicy.Learning(
                or(r.enabled(), d.enabled()),
                positive(n.get("window"), r.window(), d.window()),
                positive(n.get("burstGap"), r.burstGap(), d.burstGap()),
                between(n.get("minSupport"), r.minSupport(), d.minSupport(), 1, 1000),
                between(n.get("minConfidence"), r.minConfidence(), d.minConfidence(), 0.0, 1.0),
                between(n.get("maxPairs"), r.maxPairs(), d.maxPairs(), 1, 1_000_000),
                positive(n.get("retention"), r.retention(), d.retention()));
    }

    private static List<CorrelationPolicy.MeshCallLabels> meshCalls(
            ConfigNode n, List<RawMeshCall> raw, List<CorrelationPolicy.MeshCallLabels> d) {
        if (raw == null) {
            return d;
        }
        List<ConfigNode> at = n.list();
        List<CorrelationPolicy.MeshCallLabels> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            ConfigNode m = at.get(i);
            RawMeshCall call = or(raw.get(i), new RawMeshCall(null, null));
            String caller = required(m.get("caller"), call.caller());
            String callee = required(m.get("callee"), call.callee());
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
