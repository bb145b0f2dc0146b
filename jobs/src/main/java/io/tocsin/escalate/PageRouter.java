package io.tocsin.escalate;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.escalate.page.Page;
import io.tocsin.escalate.page.Pages;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the escalate stage's events into pages: ESCALATED triggers the paged target's routing key,
 * as do REASSIGNED (the new owner) and HANDOVER_DUE (the incoming on-call person) when they name
 * one; ACKNOWLEDGED acknowledges and RESOLVED / MERGED resolve the incident at every routing key
 * paged for it (the escalator lists them in the event's evidence). Stateless: the events carry all
 * it needs.
 */
public final class PageRouter implements FlatMapFunction<IncidentEvent, Page> {

    @Override
    public void flatMap(IncidentEvent e, Collector<Page> out) {
        Map<String, String> ev = e.getEvidence();
        switch (e.getType()) {
            case ESCALATED, REASSIGNED, HANDOVER_DUE -> {
                String key = ev.get(Escalator.ROUTING_KEY);
                if (key != null) {
                    out.collect(Pages.of(e, key, Page.TRIGGER, Map.of()));
                }
            }
            case ACKNOWLEDGED -> toPaged(e, Page.ACKNOWLEDGE, out);
            case RESOLVED, MERGED -> toPaged(e, Page.RESOLVE, out);
            default -> {}
        }
    }

    private static void toPaged(IncidentEvent e, String action, Collector<Page> out) {
        String keys = e.getEvidence().get(Escalator.PAGED_KEYS);
        if (keys == null || keys.isEmpty()) {
            return;
        }
        for (String key : keys.split(",")) {
            out.collect(Pages.of(e, key, action, Map.of()));
        }
    }
}
