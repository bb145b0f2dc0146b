package io.tocsin.escalate.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page rate limiter in Flink's keyed harness, in event time: 2 pages per minute per key. */
class PageLimiterTest {

    static final long T0 = Instant.parse("2026-11-02T02:00:00Z").toEpochMilli();
    private KeyedOneInputStreamOperatorTestHarness<String, Page, Page> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new PageLimiter(new PageRateLimit(2, Duration.ofMinutes(1)))),
                        p -> p.routingKey,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static Page page(String key, String incident, String action, long t) {
        Page p = new Page();
        p.routingKey = key;
        p.dedupKey = incident;
        p.action = action;
        p.eventTime = t;
        p.summary = incident + " " + action;
        return p;
    }

    void send(Page p) throws Exception {
        harness.processElement(new StreamRecord<>(p, p.eventTime));
    }

    List<String> out() {
        return harness.extractOutputValues().stream()
                .map(p -> p.routingKey + " " + p.dedupKey + " " + p.action + " x" + p.coalesced)
                .toList();
    }

    @Test
    void overflowIsHeldCoalescedPerIncidentAndReleasedWhenTheWindowAllows() throws Exception {
        send(page("RK", "INC-1", Page.TRIGGER, T0));
        send(page("RK", "INC-2", Page.TRIGGER, T0 + 1_000));
        send(page("RK", "INC-3", Page.TRIGGER, T0 + 2_000)); // over the limit: held
        send(page("RK", "INC-4", Page.TRIGGER, T0 + 3_000)); // held behind INC-3
        send(page("RK", "INC-3", Page.RESOLVE, T0 + 4_000)); // replaces the held trigger
        send(page("OTHER", "INC-9", Page.TRIGGER, T0 + 4_000)); // another key: its own budget
        harness.processWatermark(T0 + 59_000);
        assertThat(out())
                .containsExactly(
                        "RK INC-1 trigger x0", "RK INC-2 trigger x0", "OTHER INC-9 trigger x0");
        // INC-1's send leaves the window after 60 s: one slot, then INC-2's: the next.
        harness.processWatermark(T0 + 60_001);
        assertThat(out()).endsWith("RK INC-3 resolve x1");
        harness.processWatermark(T0 + 61_001);
        assertThat(out()).endsWith("RK INC-4 trigger x0");
        assertThat(out()).hasSize(5);
    }

    @Test
    void aBurstOfAHundredIncidentsLosesNothing() throws Exception {
        for (int i = 0; i < 100; i++) {
            send(page("RK", "INC-" + i, Page.TRIGGER, T0 + i));
        }
        harness.processWatermark(T0 + Duration.ofHours(1).toMillis());
        assertThat(harness.extractOutputValues()).hasSize(100);
        // Never more than 2 in any window (t - 1m, t]: pages k and k-2 are at least 1m apart.
        List<Page> pages = harness.extractOutputValues();
        List<Long> times = new java.util.ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                times.add(r.getTimestamp());
            }
        }
        assertThat(times).hasSize(100);
        for (int k = 2; k < times.size(); k++) {
            assertThat(times.get(k) - times.get(k - 2)).isGreaterThanOrEqualTo(60_000);
        }
        assertThat(pages.stream().map(p -> p.dedupKey).distinct()).hasSize(100);
    }

    @Test
    void eventsV2Shape() throws Exception {
        IncidentEvent e =
                IncidentEvent.newBuilder()
                        .setEventId("INC-1/2")
                        .setIncidentId("INC-1")
                        .setSeq(2)
                        .setType(IncidentEventType.ESCALATED)
                        .setEventTime(Instant.ofEpochMilli(T0))
                        .setDomain("prod")
                        .setSeverity(Severity.SEV2)
                        .setStatus(IncidentStatus.OPEN)
                        .setTitle("users-pg: PostgresTooManyConnections")
                        .setServices(List.of("users-pg", "users-svc"))
                        .setRootCauseService("users-pg")
                        .setAlertName("PostgresTooManyConnections")
                        .setEscalationTier(1)
                        .setTarget("bob")
                        .setActor("policy:tier-timeout")
                        .setEvidence(Map.of("chain", "identity"))
                        .build();
        JsonNode trigger =
                new ObjectMapper()
                        .readTree(PageJson.toJson(Pages.of(e, "RK", Page.TRIGGER, Map.of())));
        assertThat(trigger.get("routing_key").asText()).isEqualTo("RK");
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("dedup_key").asText()).isEqualTo("INC-1");
        JsonNode payload = trigger.get("payload");
        assertThat(payload.get("summary").asText())
                .isEqualTo("[SEV2] users-pg: PostgresTooManyConnections (root cause: users-pg)");
        assertThat(payload.get("source").asText()).isEqualTo("users-pg");
        assertThat(payload.get("severity").asText()).isEqualTo("error");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2026-11-02T02:00:00Z");
        assertThat(payload.get("component").asText()).isEqualTo("users-pg");
        assertThat(payload.get("group").asText()).isEqualTo("prod");
        assertThat(payload.get("class").asText()).isEqualTo("PostgresTooManyConnections");
        assertThat(payload.get("custom_details").get("target").asText()).isEqualTo("bob");
        assertThat(payload.get("custom_details").get("evidence.chain").asText())
                .isEqualTo("identity");
        JsonNode resolve =
                new ObjectMapper()
                        .readTree(PageJson.toJson(Pages.of(e, "RK", Page.RESOLVE, Map.of())));
        assertThat(resolve.has("payload")).isFalse();
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    }
}
