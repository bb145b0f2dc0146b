package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Series selectors of the remote-write allow-list, table-driven. */
class SeriesAllowListTest {

    private static final SeriesAllowList ALLOW =
            SeriesAllowList.parse(
                    List.of(
                            "http_errors_ratio{job=\"api\",env!=\"dev\"}",
                            "{__name__=~\"node_.*\",instance=~\"db-.*\"}",
                            "up",
                            "odd{path=\"/a,b\"}"));

    @Test
    void aSeriesPassesWhenOneSelectorMatchesAllItsLabels() {
        record Case(Map<String, String> labels, boolean allowed) {}
        List<Case> cases =
                List.of(
                        new Case(Map.of("__name__", "http_errors_ratio", "job", "api"), true),
                        new Case(
                                Map.of("__name__", "http_errors_ratio", "job", "api", "env", "dev"),
                                false),
                        new Case(Map.of("__name__", "http_errors_ratio", "job", "web"), false),
                        new Case(Map.of("__name__", "node_load1", "instance", "db-1:9100"), true),
                        new Case(Map.of("__name__", "node_load1", "instance", "web-1"), false),
                        new Case(Map.of("__name__", "up", "job", "anything"), true),
                        new Case(Map.of("__name__", "upx"), false),
                        new Case(Map.of("__name__", "odd", "path", "/a,b"), true));
        for (Case c : cases) {
            assertThat(ALLOW.allows(c.labels())).as(c.labels().toString()).isEqualTo(c.allowed());
        }
    }

    @Test
    void anEmptyListPassesNothing() {
        assertThat(SeriesAllowList.none().allows(Map.of("__name__", "up"))).isFalse();
        assertThat(SeriesAllowList.parse(List.of()).isEmpty()).isTrue();
    }

    @Test
    void badSelectorsNameTheSelectorAndTheProblem() {
        assertThatThrownBy(() -> SeriesAllowList.parse(List.of("up{job=\"x\"")))
                .hasMessageContaining("'up{job=\"x\"'")
                .hasMessageContaining("missing closing '}'");
        assertThatThrownBy(() -> SeriesAllowList.parse(List.of("9lives")))
                .hasMessageContaining("not a metric name");
        assertThatThrownBy(() -> SeriesAllowList.parse(List.of("{job=api}")))
                .hasMessageContaining("cannot parse matcher");
        assertThatThrownBy(() -> SeriesAllowList.parse(List.of("{}")))
                .hasMessageContaining("name a metric or at least one label matcher");
        assertThatThrownBy(() -> SeriesAllowList.parse(List.of("x{a=~\"(\"}")))
                .hasMessageContaining("bad regex");
    }

    @Test
    void theSeriesKeyIsTheMetricAndSortedEscapedLabels() {
        assertThat(
                        RemoteWriteIngest.seriesKey(
                                "m",
                                new java.util.TreeMap<>(Map.of("b", "2", "a", "say \"hi\"\\"))))
                .isEqualTo("m{a=\"say \\\"hi\\\"\\\\\",b=\"2\"}");
    }
}
