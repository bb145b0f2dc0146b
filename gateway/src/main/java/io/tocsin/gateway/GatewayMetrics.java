package io.tocsin.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** The gateway's metrics, built on an injected registry (a test gets its own). */
public final class GatewayMetrics {

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    final Counter requests;
    final Histogram duration;
    final Counter alertsAccepted;
    final Counter rejected;
    final Counter samplesAccepted;
    final Counter samplesDropped;
    final Counter silenceChanges;
    final Counter kafkaWrites;

    /**
     * @param silences silences in a state (active, pending, expired), read at scrape time
     * @param kafkaReady whether Kafka accepts writes, read at scrape time
     */
    public GatewayMetrics(
            PrometheusRegistry registry,
            Function<String, Long> silences,
            BooleanSupplier kafkaReady,
            boolean jvm) {
        this.registry = registry;
        requests =
                Counter.builder()
                        .name(GatewayMetricNames.HTTP_REQUESTS)
                        .help("HTTP requests answered, by handler and status code")
                        .labelNames("handler", "code")
                        .register(registry);
        duration =
                Histogram.builder()
                        .name(GatewayMetricNames.HTTP_REQUEST_DURATION)
                        .help("Time to answer a request, Kafka acknowledgement included")
                        .classicUpperBounds(
                                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                2.5, 5, 10)
                        .classicOnly()
                        .labelNames("handler")
                        .register(registry);
        alertsAccepted =
                Counter.builder()
                        .name(GatewayMetricNames.ALERTS_ACCEPTED)
                        .help("Alerts written to the alerts topic and acknowledged")
                        .labelNames("api")
                        .register(registry);
        rejected =
                Counter.builder()
                        .name(GatewayMetricNames.REJECTED)
                        .help("Input refused with a 4xx, by kind and reason code")
                        .labelNames("kind", "reason")
                        .register(registry);
        samplesAccepted =
                Counter.builder()
                        .name(GatewayMetricNames.SAMPLES_ACCEPTED)
                        .help("remote_write samples written to the telemetry topic")
                        .register(registry);
        samplesDropped =
                Counter.builder()
                        .name(GatewayMetricNames.SAMPLES_DROPPED)
                        .help("remote_write samples not forwarded, by reason")
                        .labelNames("reason")
                        .register(registry);
        silenceChanges =
                Counter.builder()
                        .name(GatewayMetricNames.SILENCE_CHANGES)
                        .help("Silence changes written to the control topic")
                        .labelNames("op")
                        .register(registry);
        kafkaWrites =
                Counter.builder()
                        .name(GatewayMetricNames.KAFKA_WRITES)
                        .help("Kafka writes by topic and result")
                        .labelNames("topic", "result")
                        .register(registry);
        GaugeWithCallback.builder()
                .name(GatewayMetricNames.SILENCES)
                .help("Silences known to the gateway, by state")
                .labelNames("state")
                .callback(
                        cb -> {
                            for (String state : new String[] {"active", "pending", "expired"}) {
                                cb.call(silences.apply(state), state);
                            }
                        })
                .register(registry);
        GaugeWithCallback.builder()
                .name(GatewayMetricNames.KAFKA_READY)
                .help("1 when Kafka accepts writes, else 0")
                .callback(cb -> cb.call(kafkaReady.getAsBoolean() ? 1 : 0))
                .register(registry);
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
        // Label values known up front are exported at zero, so rate() works from the first scrape.
        for (String api : new String[] {"v2", "webhook"}) {
            alertsAccepted.labelValues(api);
        }
        for (String reason : new String[] {"not_allowed", "native_histogram"}) {
            samplesDropped.labelValues(reason);
        }
        for (String op : new String[] {"upsert", "expire"}) {
            silenceChanges.labelValues(op);
        }
    }

    /** The text exposition for a scrape with this Accept header, and its content type. */
    public Scrape scrape(String accept) throws IOException {
        var writer = formats.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    /** One scrape's body. */
    public record Scrape(String contentType, byte[] body) {}
}
