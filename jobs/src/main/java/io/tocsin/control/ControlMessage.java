package io.tocsin.control;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.CatalogReader;
import io.tocsin.config.ConfigException;
import io.tocsin.config.ConfigNode;
import io.tocsin.config.EscalationPolicyReader;
import io.tocsin.config.MuteRule;
import io.tocsin.config.SuppressionRulesReader;
import io.tocsin.config.TopologyLoader;
import io.tocsin.time.EventTimes;
import io.tocsin.time.Rfc3339;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A control message as it arrives on the control topic (validated, not yet typed: {@link
 * ControlUpdate#parse} gives the typed change), in force from its event time {@code at}:
 *
 * <pre>
 * {"op": "upsert", "at": "2026-11-02T02:10:00Z", "silence": {...same fields as the policy...}}
 * {"op": "upsert", "at": "...", "maintenanceWindow": {...}}
 * {"op": "upsert", "at": "...", "inhibitRule": {...}}
 * {"op": "delete", "at": "...", "kind": "silence", "id": "db-migration"}
 * {"op": "topology", "at": "...", "topology": {"services": [...]}}   (replaces the topology)
 * {"op": "escalation", "at": "...", "escalation": {...}}   (replaces the escalation policy section)
 * {"op": "catalog", "at": "...", "catalog": {"services": {...}}}   (replaces the service catalog)
 * </pre>
 *
 * @param key the rule key ("silence:ID", ...)
 * @param ruleJson the rule body for an upsert, null for a delete
 * @param at event time in epoch millis
 */
public record ControlMessage(String key, String ruleJson, long at) {

    /** Key of a topology replacement: {@code {"op":"topology","at":...,"topology":{...}}}. */
    public static final String TOPOLOGY = "topology";

    /** Key of an escalation policy replacement (the policy file's escalation section as JSON). */
    public static final String ESCALATION = "escalation";

    /** Key of a service catalog replacement (the catalog file's shape as JSON). */
    public static final String CATALOG = "catalog";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param fallbackAt event time to use when the message has no {@code at} (the Kafka record
     *     timestamp), or null
     * @throws IllegalArgumentException with a reason naming the field
     */
    public static ControlMessage parse(String text, Long fallbackAt) {
        return parse(text, fallbackAt, JSON);
    }

    /**
     * As {@link #parse(String, Long)}, reading the JSON with {@code reader}: one made by {@link
     * io.tocsin.config.InputLimits#jsonReader} refuses documents nested deeper than the policy's
     * ingest.maxNestingDepth.
     */
    public static ControlMessage parse(String text, Long fallbackAt, ObjectMapper reader) {
        JsonNode tree;
        try {
            tree = reader.readTree(text);
        } catch (StreamConstraintsException e) {
            if (e.getMessage().contains("nesting depth")) {
                throw new IllegalArgumentException(
                        "JSON nested deeper than ingest.maxNestingDepth ("
                                + reader.getFactory().streamReadConstraints().getMaxNestingDepth()
                                + ")");
            }
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        ConfigNode n = new ConfigNode("control", "", tree);
        try {
            n.allowOnly(
                    Set.of(
                            "op",
                            "at",
                            "kind",
                            "id",
                            "silence",
                            "maintenanceWindow",
                            "inhibitRule",
                            "topology",
                            "escalation",
                            "catalog"));
            long at = at(n.get("at"), fallbackAt);
            String op = n.get("op").requiredText();
            switch (op) {
                case "upsert" -> {
                    for (String kind :
                            new String[] {"silence", "maintenanceWindow", "inhibitRule"}) {
                        ConfigNode body = n.get(kind);
                        if (!body.isMissing()) {
                            MuteRule rule =
                                    switch (kind) {
                                        case "silence" -> SuppressionRulesReader.silence(body);
                                        case "maintenanceWindow" ->
                                                SuppressionRulesReader.maintenanceWindow(body);
                                        default -> SuppressionRulesReader.inhibitRule(body);
                                    };
                            return new ControlMessage(
                                    rule.key(), kind + ":" + tree.get(kind).toString(), at);
                        }
                    }
                    throw n.error("an upsert needs one of silence, maintenanceWindow, inhibitRule");
                }
                case "delete" -> {
                    String kind = n.get("kind").requiredText();
                    String prefix =
                            switch (kind) {
                                case "silence" -> "silence:";
                                case "maintenanceWindow" -> "maintenance:";
                                case "inhibitRule" -> "inhibit:";
                                default ->
                                        throw n.get("kind")
                                                .error(
                                                        "unknown kind '"
                                                                + kind
                                                                + "' (silence, maintenanceWindow, inhibitRule)");
                            };
                    return new ControlMessage(prefix + n.get("id").requiredText(), null, at);
                }
                case "topology" -> {
                    if (n.get("topology").isMissing()) {
                        throw n.get("topology").error("required");
                    }
                    String json = tree.get("topology").toString();
                    TopologyLoader.parse(
                            "control: topology",
                            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
                    return new ControlMessage(TOPOLOGY, json, at);
                }
                case "escalation" -> {
                    if (n.get("escalation").isMissing()) {
                        throw n.get("escalation").error("required");
                    }
                    // Validated now, so a bad policy is refused here rather than at use.
                    EscalationPolicyReader.read(n.get("escalation"));
                    return new ControlMessage(ESCALATION, tree.get("escalation").toString(), at);
                }
                case "catalog" -> {
                    if (n.get("catalog").isMissing()) {
                        throw n.get("catalog").error("required");
                    }
                    CatalogReader.read(n.get("catalog"), null);
                    return new ControlMessage(CATALOG, tree.get("catalog").toString(), at);
                }
                default ->
                        throw n.get("op")
                                .error(
                                        "unknown op '"
                                                + op
                                                + "' (upsert, delete, topology, escalation or"
                                                + " catalog)");
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static long at(ConfigNode n, Long fallback) {
        if (n.isMissing()) {
            if (fallback == null) {
                throw n.error("required (the event time the change takes effect)");
            }
            return fallback;
        }
        try {
            Instant t = Rfc3339.parseOrZero(n.requiredText());
            if (t == null) {
                throw n.error("zero time is not allowed");
            }
            if (!EventTimes.holds(t)) {
                throw n.error(EventTimes.outside(t));
            }
            return t.toEpochMilli();
        } catch (DateTimeParseException e) {
            throw n.error("cannot parse '" + n.text("") + "' as an RFC 3339 time");
        }
    }

    /** Parses a stored rule body ("kind:{json}") back into its rule object. */
    public static MuteRule ruleOf(String stored) {
        int colon = stored.indexOf(':');
        String kind = stored.substring(0, colon);
        JsonNode body;
        try {
            body = JSON.readTree(stored.substring(colon + 1));
        } catch (IOException e) {
            throw new IllegalStateException("stored rule is not JSON", e);
        }
        ConfigNode n = new ConfigNode("control", kind, body);
        return switch (kind) {
            case "silence" -> SuppressionRulesReader.silence(n);
            case "maintenanceWindow" -> SuppressionRulesReader.maintenanceWindow(n);
            default -> SuppressionRulesReader.inhibitRule(n);
        };
    }
}
