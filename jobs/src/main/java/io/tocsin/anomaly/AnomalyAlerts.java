package io.tocsin.anomaly;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.AnomalyPolicy;
import io.tocsin.config.SeverityTable;
import io.tocsin.ingest.Fingerprint;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the synthetic alert of a telemetry anomaly, shaped like any other alert so it takes the
 * normal dedupe, suppress and correlate path: labels are the series' labels plus {@code alertname},
 * {@code metric} and {@code severity}; the fingerprint is computed from them, so each series has
 * one alert identity; score, detector and value go in the annotations.
 */
public final class AnomalyAlerts {

    /** Alert.source of every synthetic anomaly alert. */
    public static final String SOURCE = "anomaly";

    public static final String METRIC_LABEL = "metric";
    public static final String SCORE_ANNOTATION = "score";
    public static final String DETECTOR_ANNOTATION = "detector";
    public static final String VALUE_ANNOTATION = "value";

    private static final SeverityTable SEVERITIES = SeverityTable.defaults();

    private AnomalyAlerts() {}

    /** The alert for {@code step} (FIRE, RESEND or RESOLVE) taken at {@code point}. */
    public static Alert of(MetricPoint point, AnomalyEpisodes.Step step, AnomalyPolicy policy) {
        Map<String, String> labels = new TreeMap<>(point.getLabels());
        labels.put("alertname", policy.alertName());
        labels.put(METRIC_LABEL, point.getMetric());
        labels.put("severity", policy.severity());
        Instant at = point.getTimestamp();
        boolean resolved = step.action() == AnomalyEpisodes.Action.RESOLVE;
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(SCORE_ANNOTATION, String.format(Locale.ROOT, "%.3f", step.peakLevel()));
        annotations.put(DETECTOR_ANNOTATION, step.peakDetector());
        annotations.put(VALUE_ANNOTATION, Double.toString(point.getValue()));
        annotations.put(
                "summary",
                resolved
                        ? SeriesKey.of(point.getMetric(), point.getLabels()) + " is back to normal"
                        : String.format(
                                Locale.ROOT,
                                "%s is anomalous (%s, score %.2f)",
                                SeriesKey.of(point.getMetric(), point.getLabels()),
                                step.peakDetector(),
                                step.peakLevel()));
        return Alert.newBuilder()
                .setSource(SOURCE)
                .setFingerprint(Fingerprint.of(labels))
                .setStatus(resolved ? AlertStatus.RESOLVED : AlertStatus.FIRING)
                .setLabels(labels)
                .setAnnotations(annotations)
                .setStartsAt(Instant.ofEpochMilli(step.startedAt()))
                .setEndsAt(resolved ? at : at.plus(policy.firingHold()))
                .setReceivedAt(at)
                .setSeverity(SEVERITIES.normalise(labels))
                .setService(labels.get("service"))
                .build();
    }
}
