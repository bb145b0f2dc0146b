package io.tocsin.changes;

import static io.tocsin.changes.Changes.at;
import static io.tocsin.changes.Changes.change;
import static io.tocsin.changes.Changes.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Change;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.ChangesPolicy;
import io.tocsin.control.TopologyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The changes stage's operator: exact CHANGE_SUSPECTED carriers at exact event times. */
class SuspectFunctionTest {

    private KeyedBroadcastOperatorTestHarness<String, IncidentEvent, ChangeFeed, IncidentEvent>
            harness;
    private long seq;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new SuspectFunction(ChangesPolicy.defaults(), topology()),
                        IncidentEvent::getIncidentId,
                        Types.STRING,
                        SuspectFunction.CHANGES,
                        SuspectFunction.TOPOLOGIES);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(Change c) throws Exception {
        harness.processBroadcastElement(ChangeFeed.of(c), c.getTime().toEpochMilli());
    }

    private void send(String incident, IncidentEventType type, int minute, String... services)
            throws Exception {
        IncidentEvent e =
                IncidentEvent.newBuilder()
                        .setEventId(incident + "/" + (++seq))
                        .setIncidentId(incident)
                        .setSeq(seq)
                        .setType(type)
                        .setEventTime(Instant.ofEpochMilli(at(minute)))
                        .setOpenedAt(Instant.ofEpochMilli(at(0)))
                        .setFirstAlertAt(Instant.ofEpochMilli(at(0)))
                        .setServices(List.of(services))
                        .build();
        harness.processElement(e, at(minute));
    }

    private void watermark(int minute) throws Exception {
        harness.processBroadcastWatermark(at(minute));
        harness.processWatermark(at(minute));
    }

    /** Each carrier as "incident@minute: changeId@hops,..." in output order. */
    private List<String> out() {
        List<String> lines = new ArrayList<>();
        for (IncidentEvent e : harness.extractOutputValues()) {
            assertThat(e.getType()).isEqualTo(IncidentEventType.CHANGE_SUSPECTED);
            assertThat(e.getSeq()).isZero();
            assertThat(e.getActor()).isEqualTo(SuspectFunction.ACTOR);
            int n = Integer.parseInt(e.getEvidence().get("suspect.count"));
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                ids.add(
                        e.getEvidence().get("suspect." + i + ".changeId")
                                + "@"
                                + e.getEvidence().get("suspect." + i + ".hops"));
            }
            long minute = (e.getEventTime().toEpochMilli() - at(0)) / 60_000;
            lines.add(e.getIncidentId() + "@" + minute + ": " + String.join(",", ids));
        }
        return lines;
    }

    @Test
    void namesTheSuspectsOnceTheWatermarkPassesAndAgainOnlyWhenTheRankingChanges()
            throws Exception {
        send(change("db-1", "db", -10));
        send(change("api-1", "api", -40));
        send(change("idx-1", "index", -5));
        send(change("late-deploy", "api", 3)); // after the first alert: never a suspect
        send("INC-1", IncidentEventType.OPENED, 0, "db");
        send("INC-1", IncidentEventType.ALERT_ADDED, 2, "db");
        send("INC-1", IncidentEventType.ALERT_ADDED, 4, "api", "db");
        assertThat(out()).as("nothing before the watermark passes").isEmpty();
        watermark(1);
        assertThat(out()).containsExactly("INC-1@0: db-1@0");
        watermark(10);
        assertThat(out())
                .as("minute 2 changes nothing; api joins at minute 4: api-1 ranks after db-1")
                .containsExactly("INC-1@0: db-1@0", "INC-1@4: db-1@0,api-1@0");
        send("INC-1", IncidentEventType.ALERT_ADDED, 12, "api", "db", "search");
        watermark(13);
        assertThat(out().get(2))
                .as("search joins: its dependency index had a deploy")
                .isEqualTo("INC-1@12: db-1@0,api-1@0,idx-1@1");
    }

    @Test
    void anIncidentWithoutSuspectsGetsNoEvent() throws Exception {
        send(change("far-before", "db", -200));
        send("INC-2", IncidentEventType.OPENED, 0, "db");
        watermark(5);
        assertThat(out()).isEmpty();
    }

    @Test
    void aChangeDatedBeforeTheFirstAlertThatArrivesLateStillBecomesASuspect() throws Exception {
        send("INC-3", IncidentEventType.OPENED, 0, "api");
        send("INC-4", IncidentEventType.OPENED, 0, "index");
        send("INC-5", IncidentEventType.OPENED, 0, "api");
        send("INC-5", IncidentEventType.RESOLVED, 2, "api");
        watermark(7);
        assertThat(out()).isEmpty();
        send(change("reported-late", "db", -3));
        assertThat(out())
                .as(
                        "INC-3 (api depends on db) at once, at the watermark; INC-4 unrelated;"
                                + " INC-5 resolved")
                .containsExactly("INC-3@7: reported-late@1");
    }

    @Test
    void aRepeatedChangeIdKeepsOneRecordAndTopologyVersionsApplyFromTheirTime() throws Exception {
        send(change("c-1", "db", -10));
        send(change("c-1", "db", -10));
        // From minute 5 on, api no longer depends on db but on cache.
        harness.processBroadcastElement(
                ChangeFeed.of(
                        new TopologyVersion(
                                at(5),
                                "{\"services\":[{\"name\":\"api\",\"dependsOn\":[\"cache\"]}]}")),
                at(5));
        send("INC-6", IncidentEventType.OPENED, 0, "api");
        send("INC-7", IncidentEventType.OPENED, 6, "api");
        watermark(10);
        assertThat(out()).containsExactly("INC-6@0: c-1@1");
    }
}
