package io.tocsin.correlate;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.CorrelationPolicy;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The open-incidents gauge (MetricNames.INCIDENTS_OPEN) follows incidents as they open and resolve,
 * and keeps its value across a restore from a checkpoint.
 */
class OpenIncidentsGaugeTest {

    private static final CorrelationPolicy POLICY = CorrelationPolicy.defaults();

    private static KeyedBroadcastOperatorTestHarness<String, Alert, TopologyInput, IncidentEvent>
            harness(IncidentCorrelator fn, OperatorSubtaskState restoreFrom) throws Exception {
        var h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        fn,
                        new CorrelationKey(POLICY),
                        Types.STRING,
                        IncidentCorrelator.TOPOLOGY,
                        IncidentCorrelator.MESH_CALLS);
        if (restoreFrom != null) {
            h.close();
            h =
                    new KeyedBroadcastOperatorTestHarness<>(
                            new org.apache.flink.streaming.api.operators.co
                                    .CoBroadcastWithKeyedOperator<>(
                                    fn,
                                    java.util.List.of(
                                            IncidentCorrelator.TOPOLOGY,
                                            IncidentCorrelator.MESH_CALLS)),
                            new CorrelationKey(POLICY),
                            Types.STRING,
                            1,
                            1,
                            0);
            h.setup();
            h.initializeState(restoreFrom);
            h.open();
        }
        h.processBroadcastWatermark(Long.MAX_VALUE);
        return h;
    }

    private static Instant at(int s) {
        return BEGINNING.plusSeconds(s);
    }

    @Test
    void countsOpenIncidentsAndSurvivesARestore() throws Exception {
        IncidentCorrelator fn = new IncidentCorrelator(POLICY, CorrelatorTest.SHOP);
        var h = harness(fn, null);
        var pg = alert("PostgresDown", "users-pg");
        var es = alert("DiskFull", "search-es");
        h.processElement(pg.firing(at(0), at(0)).build(), at(0).toEpochMilli());
        h.processElement(es.firing(at(10), at(10)).build(), at(10).toEpochMilli());
        h.processWatermark(at(20).toEpochMilli());
        assertThat(fn.openIncidents()).as("two unrelated incidents open").isEqualTo(2);

        h.processElement(pg.resolved(at(30)).build(), at(30).toEpochMilli());
        h.processWatermark(at(30 + 300).toEpochMilli()); // past the quiet period: pg resolves
        assertThat(fn.openIncidents()).isEqualTo(1);

        OperatorSubtaskState snapshot = h.snapshot(1L, at(330).toEpochMilli());
        h.close();

        IncidentCorrelator restored = new IncidentCorrelator(POLICY, CorrelatorTest.SHOP);
        var h2 = harness(restored, snapshot);
        assertThat(restored.openIncidents()).as("restored from the checkpoint").isEqualTo(1);
        h2.processElement(es.resolved(at(400)).build(), at(400).toEpochMilli());
        h2.processWatermark(at(400 + 300).toEpochMilli());
        assertThat(restored.openIncidents()).isZero();
        h2.close();
    }
}
