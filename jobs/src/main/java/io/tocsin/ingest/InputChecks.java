package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.config.InputLimits;
import io.tocsin.time.EventTimes;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The checks every decoder makes on what a record holds, beyond its format: the policy's {@link
 * InputLimits}, event times a record can carry through the job, and Avro bodies whose lengths fit
 * in the record. Each refusal names the field and the limit.
 */
final class InputChecks {

    /** Avro single-object header: marker (2 bytes) and the writer schema's fingerprint (8). */
    private static final int AVRO_HEADER_BYTES = 10;

    private InputChecks() {}

    static void labels(Map<String, String> labels, String field, InputLimits limits)
            throws InvalidAlertException {
        if (labels == null) {
            return;
        }
        if (labels.size() > limits.maxLabels()) {
            throw over(
                    field
                            + ": "
                            + labels.size()
                            + " labels, more than ingest.maxLabels ("
                            + limits.maxLabels()
                            + ")");
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String name = e.getKey();
            if (name.length() > limits.maxLabelNameLength()) {
                throw over(
                        field
                                + ": a name of "
                                + name.length()
                                + " characters ("
                                + abbreviate(name)
                                + "), longer than ingest.maxLabelNameLength ("
                                + limits.maxLabelNameLength()
                                + ")");
            }
            String value = e.getValue();
            if (value != null && value.length() > limits.maxLabelValueLength()) {
                throw over(
                        field
                                + "."
                                + name
                                + ": "
                                + value.length()
                                + " characters, longer than ingest.maxLabelValueLength ("
                                + limits.maxLabelValueLength()
                                + ")");
            }
        }
    }

    static void annotations(Map<String, String> annotations, String field, InputLimits limits)
            throws InvalidAlertException {
        if (annotations == null) {
            return;
        }
        if (annotations.size() > limits.maxAnnotations()) {
            throw over(
                    field
                            + ": "
                            + annotations.size()
                            + " annotations, more than ingest.maxAnnotations ("
                            + limits.maxAnnotations()
                            + ")");
        }
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            int length = Math.max(e.getKey().length(), lengthOf(e.getValue()));
            if (length > limits.maxAnnotationLength()) {
                throw over(
                        field
                                + "."
                                + abbreviate(e.getKey())
                                + ": "
                                + length
                                + " characters, longer than ingest.maxAnnotationLength ("
                                + limits.maxAnnotationLength()
                                + ")");
            }
        }
    }

    /** {@code t} (may be null); fails naming {@code field} outside {@link EventTimes}. */
    static Instant eventTime(Instant t, String field) throws InvalidAlertException {
        if (t != null && !EventTimes.holds(t)) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME, field + ": " + EventTimes.outside(t));
        }
        return t;
    }

    /**
     * Fails when a string or field name in {@code n} holds a lone surrogate (a JSON escape such as
     * {@code \\ud800} that pairs with nothing): it has no UTF-8 form, so Avro would write it as '?'
     * and the record would change on its way through the job.
     */
    static void wellFormedText(JsonNode n, String path) throws InvalidAlertException {
        if (n.isTextual()) {
            if (hasLoneSurrogate(n.textValue())) {
                throw loneSurrogate(path);
            }
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (hasLoneSurrogate(e.getKey())) {
                    throw loneSurrogate(abbreviate(field));
                }
                wellFormedText(e.getValue(), field);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                wellFormedText(n.get(i), path + "[" + i + "]");
            }
        }
    }

    private static InvalidAlertException loneSurrogate(String field) {
        return new InvalidAlertException(
                RejectReason.MALFORMED_JSON,
                (field.isEmpty() ? "" : field + ": ")
                        + "not valid Unicode (a lone surrogate, which has no UTF-8 form)");
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The error for JSON nested deeper than the limit. */
    static InvalidAlertException tooDeep(InputLimits limits) {
        return over(
                "JSON nested deeper than ingest.maxNestingDepth ("
                        + limits.maxNestingDepth()
                        + ")");
    }

    /**
     * Walks the Avro body without building it, so that every string, map and union it claims fits
     * in the record's own bytes: Avro's reader allocates a collection or string at the length the
     * data claims (up to 2 GiB), before it finds the data is not there.
     *
     * @throws IOException when a length runs past the record (EOF) or is negative
     */
    static void avroFits(byte[] bytes, Schema schema) throws IOException {
        BinaryDecoder body =
                DecoderFactory.get()
                        .binaryDecoder(
                                bytes,
                                AVRO_HEADER_BYTES,
                                Math.max(0, bytes.length - AVRO_HEADER_BYTES),
                                null);
        GenericDatumReader.skip(schema, body);
    }

    private static int lengthOf(String s) {
        return s == null ? 0 : s.length();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static InvalidAlertException over(String message) {
        return new InvalidAlertException(RejectReason.OVER_LIMIT, message);
    }
}
