package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickHouseSettingsTest {

    private static final String URL = "jdbc:clickhouse://127.0.0.1:8123/default";
    private static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");

    @Test
    void retentionComesFromTheEnvironmentAndDefaultsToAYear() {
        assertThat(ClickHouseSettings.fromEnvironment(URL, Map.of()).retentionDays())
                .isEqualTo(365);
        assertThat(
                        ClickHouseSettings.fromEnvironment(
                                        URL, Map.of("TOCSIN_CLICKHOUSE_RETENTION_DAYS", " 90 "))
                                .retentionDays())
                .isEqualTo(90);
    }

    @Test
    void aRetentionOutsideClickHousesRangeIsRefusedWithTheVariableNamed() {
        for (String bad : new String[] {"0", "-3", "40000", "a year"}) {
            assertThatThrownBy(
                            () ->
                                    ClickHouseSettings.fromEnvironment(
                                            URL, Map.of("TOCSIN_CLICKHOUSE_RETENTION_DAYS", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TOCSIN_CLICKHOUSE_RETENTION_DAYS");
        }
    }

    @Test
    void aDatabaseForHistoryGetsARetentionThatCoversIt() {
        ClickHouseSettings s = ClickHouseSettings.fromEnvironment(URL, Map.of());
        assertThat(s.withRetentionCovering(NOW.minus(Duration.ofDays(10)), NOW)).isSameAs(s);
        assertThat(s.withRetentionCovering(NOW.minus(Duration.ofDays(400)), NOW).retentionDays())
                .isEqualTo(430);
        assertThat(s.withRetentionCovering(NOW.minus(Duration.ofDays(400)), NOW).url())
                .isEqualTo(URL);
    }

    @Test
    void thePasswordNeverShows() {
        ClickHouseSettings s =
                ClickHouseSettings.fromEnvironment(
                        URL, Map.of("TOCSIN_CLICKHOUSE_PASSWORD", "s3cret"));
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(s.withRetentionDays(10).toString()).doesNotContain("s3cret");
    }
}
