package io.tocsin.sink;

import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.testing.LocalClickHouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What happens to rows older than the retention: ClickHouse's TTL (measured from the server's
 * clock) drops them, and the sink counts them as it writes so a backfill is never silently lost.
 * This test is about retention, so its fixtures are relative to now.
 */
class ClickHouseRetentionITCase {

    @RegisterExtension static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    @Test
    void rowsPastTheRetentionAreCountedAsTheyAreWrittenAndTheTtlDropsThem() throws Exception {
        ClickHouseSettings s = CLICKHOUSE.freshDatabase("it_retention").withRetentionDays(30);
        new ClickHouseMigrator(s).migrate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant fortyDaysAgo = now.minus(Duration.ofDays(40));
        Instant yesterday = now.minus(Duration.ofDays(1));
        List<Alert> rows =
                List.of(
                        alert("Old", "svc-a").firing(fortyDaysAgo, fortyDaysAgo).build(),
                        alert("Older", "svc-b")
                                .firing(fortyDaysAgo.minusSeconds(5), fortyDaysAgo.minusSeconds(5))
                                .build(),
                        alert("Recent", "svc-c").firing(yesterday, yesterday).build());

        TestProcessingTimeService time = new TestProcessingTimeService();
        time.setCurrentTime(now.toEpochMilli());
        SimpleCounter written = new SimpleCounter();
        SimpleCounter pastRetention = new SimpleCounter();
        try (var writer =
                new ClickHouseSink.Writer<>(
                        s,
                        new Tables.Alerts("cluster"),
                        time,
                        written,
                        new SimpleCounter(),
                        pastRetention)) {
            for (Alert a : rows) {
                writer.write(a, null);
            }
            writer.flush(false);
        }

        assertThat(written.getCount()).isEqualTo(3);
        assertThat(pastRetention.getCount()).as("rows older than 30 days").isEqualTo(2);
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement()) {
            st.execute("OPTIMIZE TABLE alerts FINAL");
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT arrayStringConcat(groupArray(alertname), ',') FROM alerts")) {
                rs.next();
                assertThat(rs.getString(1)).as("what ClickHouse kept").isEqualTo("Recent");
            }
        }
    }
}
