package io.tocsin.anomaly;

import io.tocsin.avro.MetricPoint;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Identifies a telemetry series: its metric name and labels, written as Prometheus writes a series,
 * {@code http_errors{service="api",zone="a"}}, labels sorted by name. The same series always gets
 * the same key whatever order its labels arrive in.
 */
public final class SeriesKey implements KeySelector<MetricPoint, String> {

    @Override
    public String getKey(MetricPoint point) {
        return of(point.getMetric(), point.getLabels());
    }

    public static String of(String metric, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(metric).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(e.getKey()).append("=\"");
            for (char c : e.getValue().toCharArray()) {
                // Escaped as in the Prometheus text format, so the key is unambiguous.
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }
        return b.append('}').toString();
    }
}
