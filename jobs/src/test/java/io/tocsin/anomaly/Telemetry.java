package io.tocsin.anomaly;

import io.tocsin.avro.MetricPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * Test fixtures for the anomaly stage: named instants, synthetic series that read like the story
 * they tell (five-minute points of a noisy metric, then something goes wrong), metric points.
 */
final class Telemetry {

    static final Instant BEGINNING = Instant.parse("2026-11-02T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(5);
    static final int POINTS_PER_DAY = 288;

    /** Where the trouble starts in a {@link #NORMAL_DAYS}-long normal stretch. */
    static final int NORMAL_DAYS = 7;

    static final int ONSET = NORMAL_DAYS * POINTS_PER_DAY;

    private Telemetry() {}

    /** A series' value at point {@code i}, with seeded noise. */
    interface Shape {
        double at(int i, Random noise);
    }

    static long time(int i) {
        return BEGINNING.plus(STEP.multipliedBy(i)).toEpochMilli();
    }

    /** Mean 50, standard deviation 1. */
    static double noisy(Random noise) {
        return 50 + noise.nextGaussian();
    }

    /** A daily cycle of amplitude 10 around 50, plus noise. */
    static double daily(int i, Random noise) {
        return 50 + 10 * Math.sin(2 * Math.PI * i / POINTS_PER_DAY) + noise.nextGaussian();
    }

    static double[] values(Shape shape, int points, long seed) {
        Random noise = new Random(seed);
        double[] v = new double[points];
        for (int i = 0; i < points; i++) {
            v[i] = shape.at(i, noise);
        }
        return v;
    }

    static MetricPoint point(String metric, Map<String, String> labels, int i, double value) {
        return MetricPoint.newBuilder()
                .setMetric(metric)
                .setLabels(labels)
                .setValue(value)
                .setTimestamp(Instant.ofEpochMilli(time(i)))
                .build();
    }
}
