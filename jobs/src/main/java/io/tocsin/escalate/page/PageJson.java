package io.tocsin.escalate.page;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link Page} as a PagerDuty Events API v2 event. Keys come in a fixed order and custom
 * details sorted, so equal pages give equal bytes. Acknowledge and resolve carry no payload: Events
 * v2 needs only the routing key, the action and the dedup key for them.
 */
public final class PageJson {

    /** Name of the custom detail that counts the updates folded into a rate-limited page. */
    public static final String COALESCED_UPDATES = "coalesced_updates";

    private static final JsonFactory FACTORY = new JsonFactory();

    /** RFC 3339 in UTC, always with milliseconds. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private PageJson() {}

    public static String toJson(Page p) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("routing_key", p.routingKey);
            g.writeStringField("event_action", p.action);
            g.writeStringField("dedup_key", p.dedupKey);
            if (Page.TRIGGER.equals(p.action)) {
                writePayload(g, p);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Formats epoch milliseconds as in payload.timestamp, e.g. 2026-11-02T02:00:00.000Z. */
    public static String timestamp(long epochMillis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
    }

    private static void writePayload(JsonGenerator g, Page p) throws IOException {
        g.writeObjectFieldStart("payload");
        g.writeStringField("summary", p.summary);
        g.writeStringField("source", p.source);
        g.writeStringField("severity", p.severity);
        g.writeStringField("timestamp", timestamp(p.eventTime));
        writeIfSet(g, "component", p.component);
        writeIfSet(g, "group", p.group);
        writeIfSet(g, "class", p.eventClass);
        g.writeObjectFieldStart("custom_details");
        Map<String, String> details =
                p.customDetails == null ? Map.of() : new TreeMap<>(p.customDetails);
        for (Map.Entry<String, String> d : details.entrySet()) {
            if (p.coalesced > 0 && COALESCED_UPDATES.equals(d.getKey())) {
                continue; // written below from the page's own count
            }
            g.writeStringField(d.getKey(), d.getValue());
        }
        if (p.coalesced > 0) {
            g.writeNumberField(COALESCED_UPDATES, p.coalesced);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeIfSet(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isBlank()) {
            g.writeStringField(name, value);
        }
    }
}
