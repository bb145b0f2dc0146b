package io.tocsin.escalate.page;

import static io.tocsin.escalate.page.PageFixtures.escalated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parse(Page p) throws Exception {
        return JSON.readTree(PageJson.toJson(p));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aTriggerIsAFullEventsV2Event() throws Exception {
        Page p = Pages.of(escalated(Severity.SEV2).build(), "rk-payments", Page.TRIGGER, Map.of());
        JsonNode n = parse(p);
        assertThat(fieldNames(n))
                .containsExactly("routing_key", "event_action", "dedup_key", "payload");
        assertThat(n.get("routing_key").asText()).isEqualTo("rk-payments");
        assertThat(n.get("event_action").asText()).isEqualTo("trigger");
        assertThat(n.get("dedup_key").asText()).isEqualTo("prod-eu/inc-42");
        JsonNode payload = n.get("payload");
        assertThat(fieldNames(payload))
                .containsExactly(
                        "summary",
                        "source",
                        "severity",
                        "timestamp",
                        "component",
                        "group",
                        "class",
                        "custom_details");
        assertThat(payload.get("summary").asText()).startsWith("[SEV2] users-pg:");
        assertThat(payload.get("source").asText()).isEqualTo("users-pg");
        assertThat(payload.get("severity").asText()).isEqualTo("error");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2026-11-02T02:00:01.234Z");
        assertThat(payload.get("component").asText()).isEqualTo("users-pg");
        assertThat(payload.get("group").asText()).isEqualTo("prod-eu");
        assertThat(payload.get("class").asText()).isEqualTo("PostgresTooManyConnections");
        JsonNode details = payload.get("custom_details");
        assertThat(details.get("incidentId").asText()).isEqualTo("prod-eu/inc-42");
        assertThat(details.get("evidence.trigger").asText()).isEqualTo("tier-timeout");
        assertThat(fieldNames(details)).isSorted().doesNotContain(PageJson.COALESCED_UPDATES);
    }

    @Test
    void acknowledgeAndResolveCarryNoPayload() throws Exception {
        for (String action : List.of(Page.ACKNOWLEDGE, Page.RESOLVE)) {
            Page p = Pages.of(escalated(Severity.SEV1).build(), "rk-payments", action, Map.of());
            p.coalesced = 3;
            assertThat(PageJson.toJson(p))
                    .isEqualTo(
                            "{\"routing_key\":\"rk-payments\",\"event_action\":\""
                                    + action
                                    + "\",\"dedup_key\":\"prod-eu/inc-42\"}");
        }
    }

    @Test
    void coalescedUpdatesAreCountedInTheDetails() throws Exception {
        Page p = Pages.of(escalated(Severity.SEV1).build(), "rk", Page.TRIGGER, Map.of());
        p.coalesced = 2;
        JsonNode details = parse(p).get("payload").get("custom_details");
        assertThat(details.get(PageJson.COALESCED_UPDATES).asInt()).isEqualTo(2);
    }

    @Test
    void unsetOptionalFieldsAreLeftOutAndEqualPagesGiveEqualBytes() throws Exception {
        Page p =
                Pages.of(
                        escalated(Severity.SEV4).setRootCauseService(null).setDomain("").build(),
                        "rk",
                        Page.TRIGGER,
                        Map.of());
        JsonNode payload = parse(p).get("payload");
        assertThat(payload.has("component")).isFalse();
        assertThat(payload.has("group")).isFalse();
        assertThat(payload.get("source").asText()).isEqualTo("tocsin");
        assertThat(payload.get("severity").asText()).isEqualTo("info");
        assertThat(PageJson.toJson(p.copy())).isEqualTo(PageJson.toJson(p));
    }

    @Test
    void timestampsAlwaysHaveMilliseconds() {
        assertThat(PageJson.timestamp(PageFixtures.T0)).isEqualTo("2026-11-02T02:00:00.000Z");
    }
}
