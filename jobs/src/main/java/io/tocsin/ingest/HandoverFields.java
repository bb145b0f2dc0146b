package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.Handover;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads and checks a command's structured handover: four lists of short texts ({@link #FIELDS}),
 * each given in JSON as a list of strings or as one string (one item). Limits keep a handover small
 * enough to sit in the incident's escalation state and in a page's details: at most {@link
 * #MAX_ITEMS} items per field, {@link #MAX_ITEM_CHARS} characters per item and {@link
 * #MAX_TOTAL_CHARS} in all (so at most about 4 KB of UTF-8 text per incident, plus list overhead).
 */
public final class HandoverFields {

    public static final int MAX_ITEMS = 20;
    public static final int MAX_ITEM_CHARS = 1000;
    public static final int MAX_TOTAL_CHARS = 4000;

    /** The field names, in the order pages and evidence list them. */
    public static final List<String> FIELDS =
            List.of("hypotheses", "actionsTaken", "knownDependencies", "nextSteps");

    private HandoverFields() {}

    /**
     * The handover in {@code n} (a command's {@code handover} value), or null when absent; wrong
     * types and unknown fields are refused naming the field, the limits by {@link #problem}.
     */
    static Handover fromJson(JsonNode n) throws InvalidAlertException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw invalid(
                    "handover: expected an object with "
                            + String.join(", ", FIELDS)
                            + ", found "
                            + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(
                        "handover: unknown field \""
                                + name
                                + "\" (one of "
                                + String.join(", ", FIELDS)
                                + ")");
            }
        }
        // the limits are checked on the decoded command, whichever its encoding
        return Handover.newBuilder()
                .setHypotheses(items(n, "hypotheses"))
                .setActionsTaken(items(n, "actionsTaken"))
                .setKnownDependencies(items(n, "knownDependencies"))
                .setNextSteps(items(n, "nextSteps"))
                .build();
    }

    /**
     * What is wrong with a handover (empty, blank items, over a limit), naming the field; null when
     * it is fine. Applies to Avro-encoded commands as well as JSON ones.
     */
    public static String problem(Handover h) {
        int total = 0;
        boolean any = false;
        for (String field : FIELDS) {
            List<String> items = get(h, field);
            if (items.size() > MAX_ITEMS) {
                return "handover." + field + ": " + items.size() + " items, at most " + MAX_ITEMS;
            }
            for (int i = 0; i < items.size(); i++) {
                String item = items.get(i) == null ? "" : items.get(i);
                if (item.isBlank()) {
                    return "handover." + field + "[" + i + "]: empty";
                }
                if (item.length() > MAX_ITEM_CHARS) {
                    return "handover."
                            + field
                            + "["
                            + i
                            + "]: "
                            + item.length()
                            + " characters, at most "
                            + MAX_ITEM_CHARS;
                }
                total += item.length();
                any = true;
            }
        }
        if (!any) {
            return "handover: empty (give at least one of " + String.join(", ", FIELDS) + ")";
        }
        if (total > MAX_TOTAL_CHARS) {
            return "handover: " + total + " characters in all, at most " + MAX_TOTAL_CHARS;
        }
        return null;
    }

    /** The items of {@code field} (one of {@link #FIELDS}); never null. */
    public static List<String> get(Handover h, String field) {
        List<String> items =
                switch (field) {
                    case "hypotheses" -> h.getHypotheses();
                    case "actionsTaken" -> h.getActionsTaken();
                    case "knownDependencies" -> h.getKnownDependencies();
                    case "nextSteps" -> h.getNextSteps();
                    default -> throw new IllegalArgumentException("no handover field " + field);
                };
        return items == null ? List.of() : items;
    }

    private static List<String> items(JsonNode n, String field) throws InvalidAlertException {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw invalid("handover." + field + ": expected a string or a list of strings");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw invalid("handover." + field + "[" + i + "]: expected a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static InvalidAlertException invalid(String why) {
        return new InvalidAlertException(RejectReason.NOT_A_COMMAND, why);
    }
}
