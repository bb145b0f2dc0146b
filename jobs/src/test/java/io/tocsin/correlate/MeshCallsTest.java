package io.tocsin.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.MetricPoint;
import io.tocsin.config.CorrelationPolicy;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calls named by request metrics, and the broadcast message that carries them. */
class MeshCallsTest {

    static MetricPoint point(Map<String, String> labels, double value) {
        return MetricPoint.newBuilder()
                .setMetric("istio_requests_total")
                .setLabels(Map.copyOf(labels))
                .setValue(value)
                .setTimestamp(Instant.parse("2026-11-02T00:10:00Z"))
                .build();
    }

    @Test
    void istioAndServiceGraphLabelsNameACall() {
        var labels = CorrelationPolicy.defaultMeshCalls();
        assertThat(
                        MeshCalls.callKey(
                                point(
                                        Map.of(
                                                "source_workload", "checkout-api",
                                                "destination_workload", "users-pg"),
                                        12),
                                labels))
                .startsWith("checkout-api" + LinkMemory.SEP + "users-pg\n");
        assertThat(MeshCalls.callKey(point(Map.of("client", "a", "server", "b"), 1), labels))
                .isNotNull();
        assertThat(
                        MeshCalls.callKey(
                                point(
                                        Map.of(
                                                "source_workload", "unknown",
                                                "destination_workload", "users-pg"),
                                        3),
                                labels))
                .as("Istio's unknown source")
                .isNull();
        assertThat(
                        MeshCalls.callKey(
                                point(Map.of("client", "a", "server", "b"), Double.NaN), labels))
                .isNull();
        assertThat(MeshCalls.callKey(point(Map.of("service", "a"), 5), labels)).isNull();
    }

    @Test
    void theMessageRoundTripsAndOtherControlMessagesAreNotCalls() {
        MeshCalls.Call c = new MeshCalls.Call("web", "api", 1_000L);
        assertThat(MeshCalls.parse(MeshCalls.message(c))).isEqualTo(c);
        assertThat(MeshCalls.parse("{\"op\":\"topology\",\"at\":\"2026-11-02T00:00:00Z\"}"))
                .isNull();
        assertThat(MeshCalls.parse("not json mesh-call")).isNull();
    }
}
