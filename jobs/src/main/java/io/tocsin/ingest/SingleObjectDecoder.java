package io.tocsin.ingest;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.DeadLetter;
import io.tocsin.config.InputLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/**
 * A decoder for topics that carry one record per Kafka value (or file line): an Avro single-object
 * encoded record or a JSON object with the same fields. It makes the checks every such topic shares
 * (empty, over the size limit, which encoding, a JSON object at all) and turns any refusal into a
 * dead letter for {@code stage}; subclasses read the fields. Alerts are not decoded here: a record
 * of theirs may hold many alerts (an Alertmanager webhook) and their format is configurable.
 */
abstract class SingleObjectDecoder<R, D extends Decoded<R>> implements RecordDecoder<D> {

    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;
    private final InputLimits limits;
    private final String stage;
    private transient ObjectMapper json;

    SingleObjectDecoder(int maxRecordBytes, String stage) {
        this(maxRecordBytes, InputLimits.DEFAULTS, stage);
    }

    SingleObjectDecoder(int maxRecordBytes, InputLimits limits, String stage) {
        this.maxRecordBytes = maxRecordBytes;
        this.limits = limits;
        this.stage = stage;
    }

    InputLimits limits() {
        return limits;
    }

    /**
     * The record's Avro schema: its name is in the error when the bytes do not decode, and the
     * lengths the bytes claim are checked against it before decoding ({@link
     * InputChecks#avroFits}), so a false length cannot make the reader allocate. Required: a
     * decoder without it ran out of memory under the fuzz test.
     */
    abstract Schema avroSchema();

    /**
     * Checks a record read from either encoding: the limits and the rules a schema cannot state;
     * its errors name the field. None by default.
     */
    void check(R record) throws InvalidAlertException {}

    private ObjectMapper json() {
        if (json == null) {
            json = limits.jsonReader(maxRecordBytes);
        }
        return json;
    }

    abstract R fromAvro(byte[] bytes) throws IOException;

    /** Reads the record from a JSON object; its errors name the field. */
    abstract R fromJson(JsonNode object) throws InvalidAlertException;

    /** The error when the JSON is not an object. */
    abstract InvalidAlertException notAnObject();

    abstract D accepted(R record);

    abstract D rejected(DeadLetter deadLetter);

    @Override
    public final void decode(byte[] bytes, Origin origin, Consumer<D> out) {
        try {
            R record = read(bytes);
            check(record);
            out.accept(accepted(record));
        } catch (InvalidAlertException e) {
            out.accept(rejected(DeadLetters.of(bytes, origin, stage, e.reason(), e.getMessage())));
        }
    }

    private R read(byte[] bytes) throws InvalidAlertException {
        if (bytes == null) {
            throw new InvalidAlertException(RejectReason.EMPTY, "empty record");
        }
        // The size first, so an oversize record is never turned into a string.
        if (bytes.length > maxRecordBytes) {
            throw new InvalidAlertException(
                    RejectReason.OVERSIZE,
                    "record is " + bytes.length + " bytes, limit is " + maxRecordBytes);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidAlertException(RejectReason.EMPTY, "empty record");
        }
        if (isAvroSingleObject(bytes)) {
            try {
                InputChecks.avroFits(bytes, avroSchema());
                return fromAvro(bytes);
            } catch (IOException | RuntimeException e) {
                throw new InvalidAlertException(
                        RejectReason.MALFORMED_AVRO,
                        "not an Avro " + avroSchema().getName() + ": " + e.getMessage());
            }
        }
        JsonNode tree;
        try {
            tree = json().readTree(bytes);
        } catch (StreamConstraintsException e) {
            if (e.getMessage().contains("nesting depth")) {
                throw InputChecks.tooDeep(limits);
            }
            throw new InvalidAlertException(
                    RejectReason.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidAlertException(
                    RejectReason.MALFORMED_JSON, "not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw notAnObject();
        }
        InputChecks.wellFormedText(tree, "");
        return fromJson(tree);
    }

    /** Avro single-object encoding starts with the marker bytes C3 01. */
    static boolean isAvroSingleObject(byte[] bytes) {
        return bytes.length > 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }
}
