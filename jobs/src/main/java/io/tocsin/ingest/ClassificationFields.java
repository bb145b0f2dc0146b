package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and checks what a command says about the kind of incident it was: a {@code disposition}
 * (RESOLVE or CLASSIFY), an {@code impact} class and free {@code tags} (CLASSIFY). Dispositions and
 * impact classes are closed sets, so the analytics can count them; tags are free but bounded: at
 * most {@link #MAX_TAGS} of at most {@link #MAX_TAG_CHARS} characters (so about 1 KB of text per
 * incident in the escalate stage's state).
 */
public final class ClassificationFields {

    /**
     * What an incident turned out to be: a real problem that was fixed, an alert that fired for
     * nothing, or the same problem as another incident.
     */
    public static final List<String> DISPOSITIONS = List.of("fixed", "false-positive", "duplicate");

    /**
     * How users felt it: the service (or a part of it) was unavailable, it worked but worse (slow,
     * errors for some), or no user saw anything.
     */
    public static final List<String> IMPACTS = List.of("outage", "degradation", "none");

    public static final int MAX_TAGS = 16;
    public static final int MAX_TAG_CHARS = 64;

    private ClassificationFields() {}

    /** A disposition or impact given in JSON: case and surrounding blanks do not matter. */
    static String closedValue(String text) {
        return text == null ? null : text.strip().toLowerCase(Locale.ROOT);
    }

    /** The {@code tags} of a JSON command: null when absent, a list of strings otherwise. */
    static List<String> tags(JsonNode v) throws InvalidAlertException {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw invalid("tags: expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw invalid("tags[" + i + "]: expected a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /**
     * What is wrong with a command's disposition, impact and tags (a value outside its set, a field
     * on a command it does not belong to, a CLASSIFY with none of them, a tag over a limit), naming
     * the field; null when fine. Applies to Avro-encoded commands as well as JSON ones.
     */
    static String problem(Command c) {
        CommandType type = c.getType();
        boolean classify = type == CommandType.CLASSIFY;
        if (c.getDisposition() != null) {
            if (!classify && type != CommandType.RESOLVE) {
                return "disposition: only on resolve or classify, not on " + name(type);
            }
            if (!DISPOSITIONS.contains(c.getDisposition())) {
                return unknown("disposition", c.getDisposition(), DISPOSITIONS);
            }
        }
        if (c.getImpact() != null) {
            if (!classify) {
                return "impact: only on classify, not on " + name(type);
            }
            if (!IMPACTS.contains(c.getImpact())) {
                return unknown("impact", c.getImpact(), IMPACTS);
            }
        }
        List<String> tags = c.getTags();
        if (tags != null) {
            if (!classify) {
                return "tags: only on classify, not on " + name(type);
            }
            if (tags.size() > MAX_TAGS) {
                return "tags: " + tags.size() + " tags, at most " + MAX_TAGS;
            }
            for (int i = 0; i < tags.size(); i++) {
                String tag = tags.get(i) == null ? "" : tags.get(i);
                if (tag.isBlank()) {
                    return "tags[" + i + "]: empty";
                }
                if (tag.length() > MAX_TAG_CHARS) {
                    return "tags["
                            + i
                            + "]: "
                            + tag.length()
                            + " characters, at most "
                            + MAX_TAG_CHARS;
                }
            }
        }
        if (classify && c.getDisposition() == null && c.getImpact() == null && tags == null) {
            return "classify: needs at least one of disposition ("
                    + String.join(", ", DISPOSITIONS)
                    + "), impact ("
                    + String.join(", ", IMPACTS)
                    + ") or tags";
        }
        return null;
    }

    private static String unknown(String field, String value, List<String> valid) {
        return field
                + ": unknown value \""
                + (value.length() <= 40 ? value : value.substring(0, 40) + "...")
                + "\" (one of "
                + String.join(", ", valid)
                + ")";
    }

    private static String name(CommandType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static InvalidAlertException invalid(String why) {
        return new InvalidAlertException(RejectReason.NOT_A_COMMAND, why);
    }
}
