package io.tocsin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The demo's responder: the first person paged for a SEV1 acknowledges it two storm minutes later,
 * through the commands topic like any chat-ops bot would.
 */
final class DemoResponder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<byte[], byte[]> commands;
    private final PrintStream out;
    private volatile boolean acknowledged;

    DemoResponder(KafkaEndpoint kafka, PrintStream out) {
        Properties p = kafka.clientProperties();
        p.put("enable.idempotence", "true");
        this.commands =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.out = out;
    }

    /** Called for every ESCALATED event: acknowledges the first page of a SEV1. */
    void paged(IncidentEvent e) {
        if (acknowledged || e.getSeverity() != Severity.SEV1) {
            return;
        }
        acknowledged = true;
        commands.send(
                new ProducerRecord<>(
                        Topics.COMMANDS.name(),
                        e.getIncidentId().getBytes(StandardCharsets.UTF_8),
                        acknowledgement(e)));
        commands.flush();
        out.printf(
                "  demo: %s acknowledges %s on the commands topic%n",
                e.getTarget(), e.getIncidentId());
    }

    /** The acknowledge command (the commands topic's JSON) for the page {@code e}. */
    static byte[] acknowledgement(IncidentEvent e) {
        ObjectNode c = JSON.createObjectNode();
        c.put("commandId", "demo-ack-" + e.getIncidentId());
        c.put("incidentId", e.getIncidentId());
        c.put("type", "acknowledge");
        c.put("actor", e.getTarget());
        c.put("role", "responder");
        c.put("reason", "looking into it");
        c.put("issuedAt", e.getEventTime().plus(Duration.ofMinutes(2)).toString());
        try {
            return JSON.writeValueAsBytes(c);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    void awaitAcknowledgementSent(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!acknowledged && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (!acknowledged) {
            out.println("demo: no SEV1 was paged, so nobody acknowledged anything");
        }
    }

    @Override
    public void close() {
        commands.close();
    }
}
