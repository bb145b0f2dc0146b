package io.tocsin.escalate.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of a {@link Page}: a PagerDuty Events API v2 event. Trigger carries the payload;
 * acknowledge and resolve need only routing_key, event_action and dedup_key.
 */
public final class PageJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PageJson() {}

    public static String toJson(Page p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("routing_key", p.routingKey);
        root.put("event_action", p.action);
        root.put("dedup_key", p.dedupKey);
        if (Page.TRIGGER.equals(p.action)) {
            ObjectNode payload = root.putObject("payload");
            payload.put("summary", p.summary);
            payload.put("source", p.source);
            payload.put("severity", p.severity);
            payload.put("timestamp", Instant.ofEpochMilli(p.eventTime).toString());
            if (p.component != null) {
                payload.put("component", p.component);
            }
            if (p.group != null) {
                payload.put("group", p.group);
            }
            payload.put("class", p.eventClass);
            Map<String, String> details = new TreeMap<>(p.customDetails);
            if (p.coalesced > 0) {
                details.put("coalesced_updates", Integer.toString(p.coalesced));
            }
            ObjectNode d = payload.putObject("custom_details");
            details.forEach(d::put);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write page " + p, e);
        }
    }
}
