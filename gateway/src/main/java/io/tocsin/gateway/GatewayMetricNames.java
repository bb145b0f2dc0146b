package io.tocsin.gateway;

import java.util.List;

/**
 * Every metric name the gateway exports, declared once (the Prometheus client adds {@code _total}
 * to counters and {@code _bucket}/{@code _sum}/{@code _count} to histograms). Alert rules in
 * deploy/prometheus and the Grafana dashboard use these names; a test checks each is exported.
 */
public final class GatewayMetricNames {

    private GatewayMetricNames() {}

    /** HTTP requests answered, by {@code handler} and status {@code code}. */
    public static final String HTTP_REQUESTS = "tocsin_gateway_http_requests";

    /** Time from request headers to the answer (Kafka acknowledgement included), by handler. */
    public static final String HTTP_REQUEST_DURATION =
            "tocsin_gateway_http_request_duration_seconds";

    /** Alerts written to the alerts topic and acknowledged, by {@code api} (v2, webhook). */
    public static final String ALERTS_ACCEPTED = "tocsin_gateway_alerts_accepted";

    /**
     * Input refused with a 4xx, by {@code kind} (alert, series, silence, request) and {@code
     * reason} (the decoders' reason codes: MISSING_LABELS, BAD_TIME, OVERSIZE, ...).
     */
    public static final String REJECTED = "tocsin_gateway_rejected";

    /** remote_write samples written to the telemetry topic and acknowledged. */
    public static final String SAMPLES_ACCEPTED = "tocsin_gateway_samples_accepted";

    /**
     * remote_write samples not forwarded, by {@code reason}: not_allowed (outside the series
     * allow-list) or native_histogram (the detectors score float samples only).
     */
    public static final String SAMPLES_DROPPED = "tocsin_gateway_samples_dropped";

    /** Silence changes written to the control topic, by {@code op} (upsert, expire). */
    public static final String SILENCE_CHANGES = "tocsin_gateway_silence_changes";

    /** Silences the gateway knows, by {@code state} (active, pending, expired). */
    public static final String SILENCES = "tocsin_gateway_silences";

    /** Kafka writes, by {@code topic} and {@code result} (ok, failed). */
    public static final String KAFKA_WRITES = "tocsin_gateway_kafka_writes";

    /** 1 when Kafka accepts writes (the /-/ready answer), else 0. */
    public static final String KAFKA_READY = "tocsin_gateway_kafka_ready";

    /** All of the above, for tests and docs. */
    public static List<String> all() {
        return List.of(
                HTTP_REQUESTS,
                HTTP_REQUEST_DURATION,
                ALERTS_ACCEPTED,
                REJECTED,
                SAMPLES_ACCEPTED,
                SAMPLES_DROPPED,
                SILENCE_CHANGES,
                SILENCES,
                KAFKA_WRITES,
                KAFKA_READY);
    }
}
