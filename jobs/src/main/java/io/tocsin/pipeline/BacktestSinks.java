package io.tocsin.pipeline;

import io.tocsin.avro.Alert;
import io.tocsin.avro.Change;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.escalate.page.Page;
import io.tocsin.escalate.page.PageJson;
import io.tocsin.ingest.DeadLetters;
import io.tocsin.sink.AvroJson;
import io.tocsin.sink.SortedLinesSink;
import io.tocsin.status.StatusUpdate;
import io.tocsin.status.StatusUpdateJson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Backtest output files under one directory (DESIGN.md file contracts): incident-events.jsonl,
 * dead-letters.jsonl and alert-transitions.jsonl, each sorted so the same input gives the same
 * bytes. Call {@link #finish} after the job ends.
 */
public final class BacktestSinks implements Sinks {

    public static final String INCIDENT_EVENTS = "incident-events.jsonl";
    public static final String DEAD_LETTERS = "dead-letters.jsonl";
    public static final String TRANSITIONS = "alert-transitions.jsonl";
    public static final String PAGES = "pages.jsonl";
    public static final String STATUS_UPDATES = "status-updates.jsonl";
    public static final String CHANGES = "changes.jsonl";

    private final Path outDir;

    public BacktestSinks(Path outDir) {
        this.outDir = outDir.toAbsolutePath();
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(new SortedLinesSink<>(outDir, DEAD_LETTERS, new DeadLetterLines()))
                .name("dead-letters-file")
                .uid("dead-letters-file");
    }

    @Override
    public void alertTransitions(DataStream<Alert> transitions) {
        transitions
                .sinkTo(new SortedLinesSink<>(outDir, TRANSITIONS, new TransitionLines()))
                .name("transitions-file")
                .uid("transitions-file");
    }

    @Override
    public void incidentEvents(DataStream<IncidentEvent> events) {
        events.sinkTo(new SortedLinesSink<>(outDir, INCIDENT_EVENTS, new EventLines()))
                .name("incident-events-file")
                .uid("incident-events-file");
    }

    /** Merges the part files; returns the number of lines per file. */
    public Map<String, Long> finish() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String f :
                new String[] {
                    INCIDENT_EVENTS, DEAD_LETTERS, TRANSITIONS, PAGES, STATUS_UPDATES, CHANGES
                }) {
            counts.put(f, SortedLinesSink.finish(outDir, f));
        }
        return counts;
    }

    /** What would have been paged: one Events v2 JSON per line, in send order. */
    @Override
    public void pages(DataStream<Page> pages) {
        pages.sinkTo(new SortedLinesSink<>(outDir, PAGES, new PageLines()))
                .name("pages-file")
                .uid("pages-file");
    }

    /** Status updates, one JSON per line, in event-time order (then incident, audience, seq). */
    @Override
    public void statusUpdates(DataStream<StatusUpdate> updates) {
        updates.sinkTo(new SortedLinesSink<>(outDir, STATUS_UPDATES, new StatusUpdateLines()))
                .name("status-updates-file")
                .uid("status-updates-file");
    }

    /**
     * The changes the job accepted (a malformed one is a dead letter instead), one Avro JSON per
     * line in change-time order (then change id), so a backtest shows what its suspects came from.
     */
    @Override
    public void changes(DataStream<Change> changes) {
        changes.sinkTo(new SortedLinesSink<>(outDir, CHANGES, new ChangeLines()))
                .name("changes-out-file")
                .uid("changes-out-file");
    }

    static final class ChangeLines implements SortedLinesSink.Renderer<Change> {
        @Override
        public String sortKey(Change c) {
            return pad(c.getTime().toEpochMilli()) + " " + c.getChangeId();
        }

        @Override
        public String line(Change c) {
            return AvroJson.toJson(c);
        }
    }

    static final class StatusUpdateLines implements SortedLinesSink.Renderer<StatusUpdate> {
        @Override
        public String sortKey(StatusUpdate u) {
            return pad(u.eventTime) + " " + u.incidentId + " " + u.audience + " " + pad(u.seq);
        }

        @Override
        public String line(StatusUpdate u) {
            return StatusUpdateJson.toJson(u);
        }
    }

    static final class PageLines implements SortedLinesSink.Renderer<Page> {
        @Override
        public String sortKey(Page p) {
            return pad(p.eventTime) + " " + p.routingKey + " " + p.dedupKey + " " + p.action;
        }

        @Override
        public String line(Page p) {
            return PageJson.toJson(p);
        }
    }

    static String pad(long v) {
        // Flipping the sign bit maps signed order onto unsigned order; fixed width sorts as text.
        String u = Long.toUnsignedString(v ^ Long.MIN_VALUE);
        return "0".repeat(20 - u.length()) + u;
    }

    static final class EventLines implements SortedLinesSink.Renderer<IncidentEvent> {
        @Override
        public String sortKey(IncidentEvent e) {
            return pad(e.getEventTime().toEpochMilli())
                    + " "
                    + e.getIncidentId()
                    + " "
                    + pad(e.getSeq());
        }

        @Override
        public String line(IncidentEvent e) {
            return AvroJson.toJson(e);
        }
    }

    static final class TransitionLines implements SortedLinesSink.Renderer<Alert> {
        @Override
        public String sortKey(Alert a) {
            return pad(a.getReceivedAt().toEpochMilli())
                    + " "
                    + a.getFingerprint()
                    + " "
                    + a.getStatus();
        }

        @Override
        public String line(Alert a) {
            return AvroJson.toJson(a);
        }
    }

    /** One dead letter per line: the file, the line number, the original line and the reason. */
    static final class DeadLetterLines implements SortedLinesSink.Renderer<DeadLetter> {
        @Override
        public String sortKey(DeadLetter d) {
            return d.getTopic()
                    + " "
                    + pad(d.getOffset() == null ? 0 : d.getOffset())
                    + " "
                    + d.getError().replace('\t', ' ').replace('\n', ' ');
        }

        @Override
        public String line(DeadLetter d) {
            com.fasterxml.jackson.databind.node.ObjectNode n =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            n.put("file", d.getTopic());
            if (d.getOffset() != null) {
                n.put("line", d.getOffset());
            }
            n.put("reasonCode", d.getReasonCode());
            n.put("reason", d.getError());
            n.put("original", DeadLetters.originalText(d));
            return n.toString();
        }
    }
}
