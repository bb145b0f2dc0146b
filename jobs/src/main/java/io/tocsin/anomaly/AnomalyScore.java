package io.tocsin.anomaly;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The detector's verdict on one telemetry point, for analysts (ClickHouse): every point gets one;
 * what is kept (all, sampled, or above a level) is the sink's choice. A Flink POJO.
 */
public class AnomalyScore {

    /** The series key ({@link SeriesKey}). */
    public String series;

    public String metric;
    public Map<String, String> labels = new HashMap<>();

    /** Event time of the point, epoch milliseconds. */
    public long timestampMillis;

    public double value;

    /** Alarm score in [0, 1] ({@link Assessment#score()}): high once per anomaly. */
    public double score;

    /** Anomaly level in [0, 1] ({@link Assessment#level()}): high while the point is anomalous. */
    public double level;

    /** Component with the strongest evidence ({@link SeriesDetector}), or "none". */
    public String detector;

    public AnomalyScore() {}

    public AnomalyScore(
            String series,
            String metric,
            Map<String, String> labels,
            long timestampMillis,
            double value,
            Assessment a) {
        this.series = series;
        this.metric = metric;
        this.labels = new HashMap<>(labels);
        this.timestampMillis = timestampMillis;
        this.value = value;
        this.score = a.score();
        this.level = a.level();
        this.detector = a.detector();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AnomalyScore s)) {
            return false;
        }
        return timestampMillis == s.timestampMillis
                && Double.compare(value, s.value) == 0
                && Double.compare(score, s.score) == 0
                && Double.compare(level, s.level) == 0
                && Objects.equals(series, s.series)
                && Objects.equals(metric, s.metric)
                && Objects.equals(labels, s.labels)
                && Objects.equals(detector, s.detector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(series, timestampMillis, value, score, level, detector);
    }

    @Override
    public String toString() {
        return String.format(
                "AnomalyScore[%s @%d value=%s score=%.3f level=%.3f %s]",
                series, timestampMillis, value, score, level, detector);
    }
}
