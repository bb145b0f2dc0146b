package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.DeadLetter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A decoder for topics that carry one record per Kafka value (or file line): an Avro single-object
 * encoded record or a JSON object with the same fields. It makes the checks every such topic shares
 * (empty, over the size limit, which encoding, a JSON object at all) and turns any refusal into a
 * dead letter for {@code stage}; subclasses read the fields. Alerts are not decoded here: a record
 * of theirs may hold many alerts (an Alertmanager webhook) and their format is configurable.
 */
abstract class SingleObjectDecoder<R, D extends Decoded<R>> implements RecordDecoder<D> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxRecordBytes;
    private final String stage;

    SingleObjectDecoder(int maxRecordBytes, String stage) {
        this.maxRecordBytes = maxRecordBytes;
        this.stage = stage;
    }

    /** The record's Avro name, for the error when its bytes do not decode. */
    abstract String avroName();

    abstract R fromAvro(byte[] bytes) throws IOException;

    /** Reads the record from a JSON object; its errors name the field. */
    abstract R fromJson(JsonNode object) throws InvalidAlertException;

    /**
     * Checks made on a decoded record whichever its encoding (the rules a schema cannot state);
     * none by default.
     */
    R checked(R record) throws InvalidAlertException {
        return record;
    }

    /** The error when the JSON is not an object. */
    abstract InvalidAlertException notAnObject();

    abstract D accepted(R record);

    abstract D rejected(DeadLetter deadLetter);

    @Override
    public final void decode(byte[] bytes, Origin origin, Consumer<D> out) {
        try {
            out.accept(accepted(checked(read(bytes))));
        } catch (InvalidAlertException e) {
            out.accept(rejected(DeadLetters.of(bytes, origin, stage, e.reason(), e.getMessage())));
        }
    }

    private R read(byte[] bytes) throws InvalidAlertException {
        if (bytes == null || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidAlertException(RejectReason.EMPTY, "empty record");
        }
        if (bytes.length > maxRecordBytes) {
            throw new InvalidAlertException(
                    RejectReason.OVERSIZE,
                    "record is " + bytes.length + " bytes, limit is " + maxRecordBytes);
        }
        if (isAvroSingleObject(bytes)) {
            try {
                return fromAvro(bytes);
            } catch (IOException | RuntimeException e) {
                throw new InvalidAlertException(
                        RejectReason.MALFORMED_AVRO,
                        "not an Avro " + avroName() + ": " + e.getMessage());
            }
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidAlertException(
                    RejectReason.MALFORMED_JSON, "not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw notAnObject();
        }
        return fromJson(tree);
    }

    /** Avro single-object encoding starts with the marker bytes C3 01. */
    static boolean isAvroSingleObject(byte[] bytes) {
        return bytes.length > 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }
}
