package io.tocsin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import io.tocsin.ingest.ChangeDecoder;
import io.tocsin.ingest.IngestedChange;
import io.tocsin.ingest.Origin;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPartsTest {

    @Test
    void replayReadsTimesAndKeysPointsByTheirRawPrefix() throws Exception {
        String point =
                "{\"labels\":{\"service\":\"users-pg\"},\"metric\":\"pg_connections\","
                        + "\"timestamp\":1793497800000,\"value\":41.4827}";
        assertThat(StormReplay.seriesKey(point))
                .isEqualTo("{\"labels\":{\"service\":\"users-pg\"},\"metric\":\"pg_connections\",");
        assertThat(StormReplay.pointTime(point)).isEqualTo(Instant.ofEpochMilli(1793497800000L));
        assertThat(
                        StormReplay.receivedAt(
                                "{\"status\":\"firing\",\"receivedAt\":\"2026-11-02T02:00:21.829Z\"}"))
                .isEqualTo(Instant.parse("2026-11-02T02:00:21.829Z"));
        assertThat(StormReplay.receivedAt("{\"status\":\"firing\"}")).isNull();
        assertThat(StormReplay.receivedAt("not json")).isNull();
        assertThat(
                        StormReplay.firstReceivedAt(
                                List.of("x", "{\"receivedAt\":\"2026-11-02T02:00:00Z\"}")))
                .isEqualTo(Instant.parse("2026-11-02T02:00:00Z"));
    }

    /**
     * The bundled changes are all accepted (none would reach the dead letters instead of the
     * topic), in time order as the replay sends them, and the users-pg deploy is among them.
     */
    @Test
    void bundledChangesDecodeInTimeOrder() throws Exception {
        List<String> lines;
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("demo/changes.jsonl")) {
            assertThat(in).isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        ChangeDecoder decoder = new ChangeDecoder(64 * 1024);
        List<IngestedChange> out = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (int i = 0; i < lines.size(); i++) {
            decoder.decode(
                    lines.get(i).getBytes(StandardCharsets.UTF_8),
                    new Origin("changes.jsonl", null, (long) i + 1, null),
                    out::add);
            Instant at = StormReplay.changeTime(lines.get(i));
            assertThat(at).isAfterOrEqualTo(previous);
            previous = at;
        }
        assertThat(out).hasSize(lines.size()).allSatisfy(d -> assertThat(d.rejected()).isNull());
        assertThat(out)
                .anySatisfy(
                        d -> {
                            assertThat(d.accepted().getService()).isEqualTo("users-pg");
                            assertThat(d.accepted().getTime())
                                    .isEqualTo(Instant.parse("2026-11-02T01:56:40Z"));
                        });
    }

    @Test
    void acknowledgementIsEscapedJson() throws Exception {
        IncidentEvent e =
                IncidentEvent.newBuilder()
                        .setEventId("inc-1/1")
                        .setIncidentId("inc-1")
                        .setSeq(1)
                        .setType(IncidentEventType.ESCALATED)
                        .setEventTime(Instant.parse("2026-11-02T02:00:00Z"))
                        .setSeverity(Severity.SEV1)
                        .setTarget("ann \"on call\"")
                        .build();
        JsonNode c = new ObjectMapper().readTree(DemoResponder.acknowledgement(e));
        assertThat(c.get("actor").asText()).isEqualTo("ann \"on call\"");
        assertThat(c.get("commandId").asText()).isEqualTo("demo-ack-inc-1");
        assertThat(c.get("type").asText()).isEqualTo("acknowledge");
        assertThat(c.get("issuedAt").asText()).isEqualTo("2026-11-02T02:02:00Z");
    }
}
