package io.tocsin.cli;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Topics;
import io.tocsin.escalate.page.Pages;
import io.tocsin.evidence.EvidenceKeys;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints incident events from the incident-events topic as they are committed (from the topic's end
 * when constructed, so exactly this run's), and hands each page to the {@link DemoResponder}.
 */
final class IncidentEventPrinter extends Thread {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DemoResponder responder;
    private final PrintStream out;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile long lastEventNanos = System.nanoTime();
    // The top suspect last printed per incident: a re-ranking that keeps the top is not news here.
    private final Map<String, String> printedTop = new HashMap<>();

    IncidentEventPrinter(KafkaEndpoint kafka, DemoResponder responder, PrintStream out) {
        super("demo-event-printer");
        setDaemon(true);
        Properties p = kafka.clientProperties();
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.INCIDENT_EVENTS.name())
                .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end positions now, before the replay
        this.responder = responder;
        this.out = out;
    }

    @Override
    public void run() {
        try {
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    IncidentEvent e = IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value()));
                    lastEventNanos = System.nanoTime();
                    print(e);
                }
            }
        } catch (Exception e) {
            out.println("demo: event printer stopped: " + e);
        } finally {
            consumer.close();
            responder.close();
        }
    }

    private void print(IncidentEvent e) {
        String when = StormReplay.CLOCK.format(e.getEventTime());
        if (e.getType() == IncidentEventType.OPENED) {
            out.printf(
                    "  %s  OPENED    %s  %s  services=%s alerts=%d root-cause=%s  \"%s\"%n",
                    when,
                    e.getIncidentId(),
                    e.getSeverity(),
                    e.getServices(),
                    e.getAlertCount(),
                    e.getRootCauseService(),
                    e.getTitle());
        } else if (e.getType() == IncidentEventType.ESCALATED) {
            out.printf(
                    "  %s  ESCALATED %s  %s  tier %d -> %s via %s  [%s] (%s)%n",
                    when,
                    e.getIncidentId(),
                    e.getSeverity(),
                    e.getEscalationTier(),
                    e.getTarget(),
                    e.getEvidence().get("via"),
                    e.getActor(),
                    e.getReason());
            printCatalogContext(e);
            responder.paged(e);
        } else if (e.getType() == IncidentEventType.CHANGE_SUSPECTED) {
            printSuspect(when, e);
        } else if (e.getType() == IncidentEventType.ACKNOWLEDGED
                || e.getType() == IncidentEventType.COMMAND_REJECTED) {
            out.printf(
                    "  %s  %-9s %s  by %s  (%s)%n",
                    when, e.getType(), e.getIncidentId(), e.getActor(), e.getReason());
        } else if (e.getType() == IncidentEventType.RESOLVED
                || e.getType() == IncidentEventType.REOPENED
                || e.getType() == IncidentEventType.SEVERITY_CHANGED
                || e.getType() == IncidentEventType.MERGED) {
            out.printf(
                    "  %s  %-9s %s  %s  alerts=%d  (%s)%n",
                    when,
                    e.getType(),
                    e.getIncidentId(),
                    e.getSeverity(),
                    e.getAlertCount(),
                    e.getReason());
        }
    }

    /**
     * A second line for a page enriched by the service catalog: the chain, customer tier, region,
     * runbook and the services around the incident (nothing without a catalog).
     */
    private void printCatalogContext(IncidentEvent e) {
        Map<String, String> ev = e.getEvidence();
        String runbooks = ev.get(Pages.CATALOG_PREFIX + "runbooks");
        String up = ev.get(Pages.CATALOG_PREFIX + "upstream");
        String down = ev.get(Pages.CATALOG_PREFIX + "downstream");
        if (runbooks == null && up == null && down == null) {
            return;
        }
        out.printf(
                "                      chain %s  [%s, %s]  runbook %s  upstream %s  downstream %s%n",
                ev.get("chain"),
                ev.getOrDefault(Pages.CUSTOMER_TIER, "-"),
                ev.getOrDefault(Pages.CATALOG_PREFIX + "region", "-"),
                runbooks == null ? "-" : runbooks.split(" ")[0],
                up == null ? "-" : up,
                down == null ? "-" : down);
    }

    /**
     * The incident's top suspect change, e.g. {@code SUSPECT INC-.. chg-1103 users-pg 15.4-r7 ->
     * 15.5-r1 by carol (team-identity)} and why, with how many more there are; only when the top
     * suspect differs from the one last printed for the incident.
     */
    private void printSuspect(String when, IncidentEvent e) {
        Map<String, String> ev = e.getEvidence();
        String id = ev.get(EvidenceKeys.suspect(1, EvidenceKeys.SUSPECT_CHANGE_ID));
        if (Objects.equals(printedTop.put(e.getIncidentId(), id), id)) {
            return;
        }
        if (id == null) {
            out.printf("  %s  SUSPECT   %s  (%s)%n", when, e.getIncidentId(), e.getReason());
            return;
        }
        String team = ev.get(EvidenceKeys.suspect(1, EvidenceKeys.SUSPECT_AUTHOR_TEAM));
        out.printf(
                "  %s  SUSPECT   %s  %s %s %s by %s%s  (%s)%n",
                when,
                e.getIncidentId(),
                id,
                ev.get(EvidenceKeys.suspect(1, EvidenceKeys.SUSPECT_SERVICE)),
                ev.get(EvidenceKeys.suspect(1, EvidenceKeys.SUSPECT_VERSION)),
                ev.get(EvidenceKeys.suspect(1, EvidenceKeys.SUSPECT_AUTHOR)),
                team == null ? "" : " (" + team + ")",
                e.getReason());
    }

    /** Stops once no event has arrived for {@code quiet}. */
    void stopAfterQuiet(Duration quiet) throws InterruptedException {
        while (System.nanoTime() - lastEventNanos < quiet.toNanos()) {
            Thread.sleep(200);
        }
        stop.set(true);
        join(5000);
    }
}
