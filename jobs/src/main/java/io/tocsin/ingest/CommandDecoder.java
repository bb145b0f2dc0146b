package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.Severity;
import io.tocsin.config.IngestPolicy;
import io.tocsin.config.InputLimits;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Decodes the commands topic: an Avro single-object Command, or a JSON object with the same fields
 * ({@code {"commandId": "c-1", "incidentId": "INC-...", "type": "acknowledge", "actor": "alice",
 * "role": "responder", "reason": "...", "issuedAt": "2026-11-02T02:07:00Z"}}; type and severities
 * case-insensitive). A {@code handover} object ({@link HandoverFields}) is required for type
 * handover and may ride along on any other command. A resolve or classify may carry a {@code
 * disposition}, a classify an {@code impact} and {@code tags} ({@link ClassificationFields}). A
 * record that is not a well-formed command becomes a dead letter (stage {@code commands}); whether
 * a well-formed command is allowed is the escalate stage's call.
 */
public final class CommandDecoder extends SingleObjectDecoder<Command, IngestedCommand> {

    private static final long serialVersionUID = 1L;

    private static final String MISSING_HANDOVER =
            "handover: required for a handover command (an object with "
                    + String.join(", ", HandoverFields.FIELDS)
                    + ")";

    public CommandDecoder(int maxRecordBytes) {
        super(maxRecordBytes, "commands");
    }

    public CommandDecoder(int maxRecordBytes, InputLimits limits) {
        super(maxRecordBytes, limits, "commands");
    }

    public static CommandDecoder of(IngestPolicy ingest) {
        return new CommandDecoder(ingest.maxRecordBytes(), ingest.limits());
    }

    @Override
    Schema avroSchema() {
        return Command.getClassSchema();
    }

    @Override
    public IngestedCommand heartbeat(long at) {
        return IngestedCommand.heartbeat(at);
    }

    @Override
    IngestedCommand accepted(Command command) {
        return IngestedCommand.of(command);
    }

    @Override
    IngestedCommand rejected(DeadLetter deadLetter) {
        return IngestedCommand.rejected(deadLetter);
    }

    @Override
    Command fromAvro(byte[] bytes) throws IOException {
        return Command.getDecoder().decode(bytes);
    }

    /**
     * The issue time's bounds, and a handover's limits (for Avro commands too); a HANDOVER must
     * carry one.
     */
    @Override
    void check(Command c) throws InvalidAlertException {
        InputChecks.eventTime(c.getIssuedAt(), "issuedAt");
        if (c.getHandover() != null) {
            String problem = HandoverFields.problem(c.getHandover());
            if (problem != null) {
                throw new InvalidAlertException(RejectReason.NOT_A_COMMAND, problem);
            }
        }
        if (c.getType() == CommandType.HANDOVER && c.getHandover() == null) {
            throw new InvalidAlertException(RejectReason.NOT_A_COMMAND, MISSING_HANDOVER);
        }
        String classification = ClassificationFields.problem(c);
        if (classification != null) {
            throw new InvalidAlertException(RejectReason.NOT_A_COMMAND, classification);
        }
    }

    @Override
    InvalidAlertException notAnObject() {
        return new InvalidAlertException(
                RejectReason.NOT_A_COMMAND, "expected a JSON object (a command)");
    }

    @Override
    Command fromJson(JsonNode n) throws InvalidAlertException {
        return Command.newBuilder()
                .setCommandId(required(n, "commandId"))
                .setIncidentId(required(n, "incidentId"))
                .setType(type(required(n, "type")))
                .setActor(required(n, "actor"))
                .setRole(required(n, "role"))
                .setReason(optional(n, "reason"))
                .setIssuedAt(issuedAt(n.get("issuedAt")))
                .setTargetSeverity(severity(optional(n, "targetSeverity")))
                .setAssignee(optional(n, "assignee"))
                .setNote(optional(n, "note"))
                .setApprovesCommandId(optional(n, "approvesCommandId"))
                .setHandover(HandoverFields.fromJson(n.get("handover")))
                .setDisposition(ClassificationFields.closedValue(optional(n, "disposition")))
                .setImpact(ClassificationFields.closedValue(optional(n, "impact")))
                .setTags(ClassificationFields.tags(n.get("tags")))
                .build();
    }

    private static String required(JsonNode n, String field) throws InvalidAlertException {
        String v = optional(n, field);
        if (v == null || v.isBlank()) {
            throw new InvalidAlertException(RejectReason.NOT_A_COMMAND, field + ": required");
        }
        return v;
    }

    private static String optional(JsonNode n, String field) throws InvalidAlertException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_COMMAND, field + ": expected a string");
        }
        return v.asText();
    }

    private static CommandType type(String t) throws InvalidAlertException {
        try {
            CommandType c = CommandType.valueOf(t.trim().toUpperCase(Locale.ROOT));
            if (c != CommandType.UNKNOWN) {
                return c;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidAlertException(
                RejectReason.NOT_A_COMMAND,
                "type: unknown command \""
                        + t
                        + "\" (one of acknowledge, resolve, upgrade, downgrade, reassign, add_note,"
                        + " approve, handover, classify)");
    }

    private static Severity severity(String s) throws InvalidAlertException {
        if (s == null) {
            return null;
        }
        try {
            Severity v = Severity.valueOf(s.trim().toUpperCase(Locale.ROOT));
            if (v != Severity.UNKNOWN) {
                return v;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidAlertException(
                RejectReason.NOT_A_COMMAND,
                "targetSeverity: unknown severity \"" + s + "\" (one of SEV1, SEV2, SEV3, SEV4)");
    }

    private static Instant issuedAt(JsonNode v) throws InvalidAlertException {
        if (v == null || v.isNull()) {
            throw new InvalidAlertException(RejectReason.BAD_TIME, "issuedAt: required");
        }
        if (v.isIntegralNumber()) {
            return Instant.ofEpochMilli(v.asLong());
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME,
                    "issuedAt: cannot parse \"" + v.asText() + "\" as an RFC 3339 time");
        }
    }
}
