package io.tocsin.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.DeadLetter;
import io.tocsin.config.IngestPolicy;
import io.tocsin.config.InputLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses each control message once: the typed change goes to the side output of its kind ({@link
 * ControlStreams}), keeping the record's timestamp; a malformed message goes to {@link
 * ControlStreams#REJECTED} as a dead letter with the reason. Nothing is emitted on the main output.
 */
final class ParseControl extends ProcessFunction<String, Void> {

    private final int maxRecordBytes;
    private final InputLimits limits;
    private transient ObjectMapper json;

    ParseControl() {
        this(IngestPolicy.defaults());
    }

    /** With the ingest section's limits: maxRecordBytes and maxNestingDepth. */
    ParseControl(IngestPolicy ingest) {
        this.maxRecordBytes = ingest.maxRecordBytes();
        this.limits = ingest.limits();
    }

    @Override
    public void processElement(String message, Context ctx, Collector<Void> out) {
        parse(
                message,
                ctx.timestamp(),
                update -> {
                    if (update instanceof RuleChange c) {
                        ctx.output(ControlStreams.RULE_CHANGES, c);
                    } else if (update instanceof TopologyVersion v) {
                        ctx.output(ControlStreams.TOPOLOGIES, v);
                    } else if (update instanceof EscalationPolicyVersion v) {
                        ctx.output(ControlStreams.ESCALATION_POLICIES, v);
                    } else if (update instanceof CatalogVersion v) {
                        ctx.output(ControlStreams.CATALOGS, v);
                    }
                },
                deadLetter -> ctx.output(ControlStreams.REJECTED, deadLetter));
    }

    /**
     * One message: the typed change to {@code accepted}, or its dead letter to {@code rejected}.
     */
    void parse(
            String message,
            Long ts,
            Consumer<ControlUpdate> accepted,
            Consumer<DeadLetter> rejected) {
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxRecordBytes) {
            rejected.accept(
                    rejected(
                            message,
                            "message is "
                                    + bytes
                                    + " bytes, more than ingest.maxRecordBytes ("
                                    + maxRecordBytes
                                    + ")",
                            ts));
            return;
        }
        if (json == null) {
            json = limits.jsonReader(maxRecordBytes);
        }
        ControlUpdate update;
        try {
            update = ControlUpdate.parse(message, ts, json);
        } catch (IllegalArgumentException e) {
            rejected.accept(rejected(message, e.getMessage(), ts));
            return;
        }
        accepted.accept(update);
    }

    static DeadLetter rejected(String message, String reason, Long ts) {
        return DeadLetter.newBuilder()
                .setOriginal(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)))
                .setTopic("control")
                .setStage("control")
                .setReasonCode("BAD_CONTROL_MESSAGE")
                .setError(reason)
                .setReceivedAt(Instant.ofEpochMilli(ts == null ? 0 : ts))
                .build();
    }
}
