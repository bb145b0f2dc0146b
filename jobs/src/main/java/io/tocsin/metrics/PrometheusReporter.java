package io.tocsin.metrics;

import org.apache.flink.configuration.Configuration;

/**
 * Turns on Flink's Prometheus reporter for a local MiniCluster: every job, operator and checkpoint
 * metric (Tocsin's own from {@link MetricNames}) on {@code http://HOST:PORT/metrics}.
 */
public final class PrometheusReporter {

    /** Environment variable with the port or range ({@code 9249-9259}, the first free is used). */
    public static final String PORT_ENV = "TOCSIN_METRICS_PORT";

    /** Flink's default port range for the reporter; a second local job takes the next port. */
    public static final String DEFAULT_PORTS = "9249-9259";

    private PrometheusReporter() {}

    /**
     * @param ports a port or a range like {@code 9249-9259}; "off" adds nothing
     */
    public static Configuration configure(Configuration conf, String ports) {
        if (ports == null || ports.isBlank() || ports.equals("off")) {
            return conf;
        }
        if (!ports.matches("\\d{1,5}(-\\d{1,5})?")) {
            throw new IllegalArgumentException(
                    PORT_ENV + ": expected a port or a range like 9249-9259, got '" + ports + "'");
        }
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", ports);
        return conf;
    }

    /** The ports from {@link #PORT_ENV}, or the default range. */
    public static String portsFromEnvironment() {
        String v = System.getenv(PORT_ENV);
        return v == null || v.isBlank() ? DEFAULT_PORTS : v.trim();
    }
}
