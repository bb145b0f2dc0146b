package io.tocsin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The declared metric names are valid Prometheus names, unique, and in Tocsin's namespace. */
class MetricNamesTest {

    /** Every metric name constant (not the group keys). */
    static List<String> declared() throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().equals("REASON")
                    && !f.getName().equals("TRIGGER")) {
                out.add((String) f.get(null));
            }
        }
        return out;
    }

    @Test
    void namesAreValidUniqueAndPrefixed() throws Exception {
        List<String> names = declared();
        assertThat(names).hasSizeGreaterThan(20);
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        assertThat(names).allMatch(n -> n.matches("tocsin_[a-z][a-z0-9_]*"), "tocsin_[a-z0-9_]+");
        // Counters are exported without a unit suffix; "_total" would be doubled by clients.
        assertThat(names).noneMatch(n -> n.endsWith("_total"));
        assertThat(List.of(MetricNames.REASON, MetricNames.TRIGGER))
                .allMatch(k -> k.matches("[a-z][a-z_]*"));
    }

    @Test
    void triggersAreRuleNamesOrCommand() {
        assertThat(MetricNames.triggerOf("policy:tier-timeout")).isEqualTo("policy:tier-timeout");
        assertThat(MetricNames.triggerOf("cep:warning-burst")).isEqualTo("cep:warning-burst");
        assertThat(MetricNames.triggerOf("alice")).isEqualTo("command");
        assertThat(MetricNames.triggerOf(null)).isEqualTo("unknown");
        assertThat(MetricNames.triggerOf("")).isEqualTo("unknown");
    }
}
