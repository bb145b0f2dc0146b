package io.tocsin.control;

import io.tocsin.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses each control message once: the typed change goes to the side output of its kind ({@link
 * ControlStreams}), keeping the record's timestamp; a malformed message goes to {@link
 * ControlStreams#REJECTED} as a dead letter with the reason. Nothing is emitted on the main output.
 */
final class ParseControl extends ProcessFunction<String, Void> {

    @Override
    public void processElement(String message, Context ctx, Collector<Void> out) {
        ControlUpdate update;
        try {
            update = ControlUpdate.parse(message, ctx.timestamp());
        } catch (IllegalArgumentException e) {
            ctx.output(ControlStreams.REJECTED, rejected(message, e.getMessage(), ctx.timestamp()));
            return;
        }
        if (update instanceof RuleChange c) {
            ctx.output(ControlStreams.RULE_CHANGES, c);
        } else if (update instanceof TopologyVersion v) {
            ctx.output(ControlStreams.TOPOLOGIES, v);
        } else if (update instanceof EscalationPolicyVersion v) {
            ctx.output(ControlStreams.ESCALATION_POLICIES, v);
        } else if (update instanceof CatalogVersion v) {
            ctx.output(ControlStreams.CATALOGS, v);
        }
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
