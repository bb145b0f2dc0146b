package io.tocsin.correlate;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.control.ControlUpdate;
import io.tocsin.control.TopologyVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The correlate stage in a harness: event-time order, timers, topology changes, state bounds. */
class IncidentCorrelatorTest {

    private KeyedBroadcastOperatorTestHarness<String, Alert, TopologyInput, IncidentEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        CorrelationPolicy policy = CorrelationPolicy.defaults();
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new IncidentCorrelator(policy, CorrelatorTest.SHOP),
                        new CorrelationKey(policy),
                        Types.STRING,
                        IncidentCorrelator.TOPOLOGY,
                        IncidentCorrelator.MESH_CALLS);
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static Instant at(int s) {
        return BEGINNING.plusSeconds(s);
    }

    private void send(Alert a) throws Exception {
        harness.processElement(a, a.getReceivedAt().toEpochMilli());
    }

    private void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    private List<IncidentEventType> types() {
        return harness.extractOutputValues().stream().map(IncidentEvent::getType).toList();
    }

    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>)
                        ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    @Test
    void alertsArrivingOutOfOrderAreCorrelatedInEventTimeOrder() throws Exception {
        // users-svc arrives first but started later; the database alert is older.
        send(alert("HighLatency", "users-svc").firing(at(30), at(30)).build());
        send(alert("PostgresDown", "users-pg").firing(at(0), at(0)).build());
        watermark(at(30));
        List<IncidentEvent> out = harness.extractOutputValues();
        assertThat(out.get(0).getType()).isEqualTo(IncidentEventType.OPENED);
        assertThat(out.get(0).getAlertService()).isEqualTo("users-pg");
        assertThat(out.get(0).getRootCauseService()).isEqualTo("users-pg");
        assertThat(out.get(1).getType()).isEqualTo(IncidentEventType.ALERT_ADDED);
        assertThat(out)
                .extracting(IncidentEvent::getIncidentId)
                .containsOnly(out.get(0).getIncidentId());
    }

    @Test
    void theIncidentResolvesAtTheEndOfTheQuietPeriodAndIsForgottenAfterRetention()
            throws Exception {
        var pg = alert("PostgresDown", "users-pg");
        send(pg.firing(at(0), at(0)).build());
        send(pg.resolved(at(60)).build());
        watermark(at(359));
        assertThat(types())
                .containsExactly(IncidentEventType.OPENED, IncidentEventType.ALERT_RESOLVED);
        watermark(at(360));
        assertThat(types()).endsWith(IncidentEventType.RESOLVED);
        assertThat(harness.extractOutputValues().get(2).getEventTime()).isEqualTo(at(360));
        assertThat(stateEntries())
                .as("resolved incident + fingerprint index + the partition's learned links")
                .isEqualTo(3);
        watermark(at(360).plus(Duration.ofDays(7)));
        assertThat(stateEntries()).as("only the learned links, bounded on their own").isOne();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aTopologyChangeTakesEffectFromItsEventTime() throws Exception {
        // From 02:01 on, search-svc also depends on users-pg.
        harness.processBroadcastElement(
                TopologyInput.of(
                        (TopologyVersion)
                                ControlUpdate.parse(
                                        """
                {"op":"topology","at":"2026-11-02T02:01:00Z","topology":{"services":[
                  {"name":"users-svc","dependsOn":["users-pg"]},
                  {"name":"search-svc","dependsOn":["search-es","users-pg"]}]}}
                """,
                                        0L)),
                0L);
        assertThat(harness.getBroadcastState(IncidentCorrelator.TOPOLOGY).entries()).hasSize(1);
        send(alert("PostgresDown", "users-pg").firing(at(0), at(0)).build());
        send(alert("SlowQueries", "search-svc").firing(at(30), at(30)).build()); // old topology
        send(alert("SearchErrors", "search-svc").firing(at(120), at(120)).build());
        watermark(at(120));
        List<IncidentEvent> out = harness.extractOutputValues();
        assertThat(out.get(1).getType())
                .as("search-svc at 02:00:30 is not linked yet")
                .isEqualTo(IncidentEventType.OPENED);
        IncidentEvent last = out.get(out.size() - 1);
        assertThat(last.getType())
                .isIn(IncidentEventType.ALERT_ADDED, IncidentEventType.ROOT_CAUSE_CHANGED);
        assertThat(out)
                .filteredOn(e -> e.getType() == IncidentEventType.MERGED)
                .as("after the change search-svc links users-pg: the two incidents merge")
                .hasSize(1);
    }
}
