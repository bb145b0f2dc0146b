package io.tocsin.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counters of one name split by a label (a Flink key/value group): created on first use, so only
 * values that occur are exported. Callers pass values from a small fixed set (reason codes, rule
 * names), never free text, to keep the number of series bounded.
 */
public final class LabelledCounters {

    private final MetricGroup group;
    private final String key;
    private final String name;
    private final Map<String, Counter> counters = new HashMap<>();

    public LabelledCounters(MetricGroup group, String key, String name) {
        this.group = group;
        this.key = key;
        this.name = name;
    }

    public void inc(String value) {
        counters.computeIfAbsent(value, v -> group.addGroup(key, v).counter(name)).inc();
    }
}
