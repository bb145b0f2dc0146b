package io.tocsin.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.Catalog;
import io.tocsin.config.CatalogReader;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.TopologyLoader;
import io.tocsin.control.ControlStreams;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.testing.LocalClickHouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The services table's catalog columns (migration 014) against the local ClickHouse engine: the
 * demo catalog loaded beside the demo topology, and catalog versions from the control topic through
 * the live job's sink, each write keeping the columns the other source owns.
 */
class ServicesTableITCase {

    @RegisterExtension static final LocalClickHouse CLICKHOUSE = new LocalClickHouse();

    @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();

    static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");

    /**
     * service, team, tier | owner, schedule, runbook, tier, customer tier, region, vendor, SLA, at
     */
    private static List<String> rows(ClickHouseSettings s, String... services) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT service, team, tier, owner_team, schedule, runbook_url,"
                                        + " service_tier, customer_tier, region, vendor,"
                                        + " vendor_response_sla_s,"
                                        + " formatDateTime(catalog_at, '%Y-%m-%d %H:%i:%S')"
                                        + " FROM services FINAL WHERE service IN ('"
                                        + String.join("', '", services)
                                        + "') ORDER BY service")) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 12; i++) {
                    String v = rs.getString(i);
                    b.append(i == 1 ? "" : i == 4 ? " | " : " ").append(v == null ? "-" : v);
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private static long count(ClickHouseSettings s, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(s.url(), s.jdbcProperties());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theDemoCatalogBesideTheTopologyEachWriteKeepingTheOthersColumns() throws Exception {
        ClickHouseSettings s = CLICKHOUSE.freshDatabase("it_services_catalog");
        new ClickHouseMigrator(s).migrate();
        assertThat(
                        ServicesTable.writeTopology(
                                s, TopologyLoader.loadResource("demo/topology.json")))
                .isEqualTo(16); // 15 listed, and psp-api, which one depends on
        // Before any catalog: the topology's team and tier, every catalog column NULL.
        assertThat(rows(s, "users-pg"))
                .containsExactly("users-pg team-identity datastore | - - - - - - - - -");

        Catalog demo = CatalogReader.loadResource("demo/catalog.yaml", null);
        // 16 services, psp-api (the outside payment provider) among them.
        assertThat(ServicesTable.writeCatalog(s, demo, T1)).isEqualTo(16);
        List<String> expected =
                List.of(
                        // Only a dependency in the topology (no team or tier); a vendor and SLA.
                        "psp-api   | team-payments - https://runbooks.example.internal/vendors/payment-provider"
                                + " external gold eu-central-1 payment-provider 1800 2026-12-01 10:00:00",
                        "search-es team-search datastore | team-search search-oncall"
                                + " https://runbooks.example.internal/services/search-es datastore bronze"
                                + " eu-west-1 - - 2026-12-01 10:00:00",
                        "users-pg team-identity datastore | team-identity identity-oncall"
                                + " https://runbooks.example.internal/services/users-pg datastore gold"
                                + " eu-central-1 - - 2026-12-01 10:00:00");
        assertThat(rows(s, "users-pg", "psp-api", "search-es")).containsExactlyElementsOf(expected);
        assertThat(count(s, "SELECT count() FROM services FINAL")).isEqualTo(16);

        // The topology again (as report --topology and the demo do): the catalog columns stay.
        ServicesTable.writeTopology(s, TopologyLoader.loadResource("demo/topology.json"));
        assertThat(rows(s, "users-pg", "psp-api", "search-es")).containsExactlyElementsOf(expected);

        // A version older than the one written is left out.
        assertThat(ServicesTable.writeCatalog(s, Catalog.empty(), T1.minusSeconds(1)))
                .isEqualTo(-1);
        assertThat(rows(s, "users-pg", "psp-api", "search-es")).containsExactlyElementsOf(expected);
    }

    @Test
    void aCatalogFromTheControlTopicReplacesTheRowsThroughTheLiveSink() throws Exception {
        ClickHouseSettings s = CLICKHOUSE.freshDatabase("it_services_control");
        new ClickHouseMigrator(s).migrate();
        ServicesTable.writeTopology(s, TopologyLoader.loadResource("demo/topology.json"));

        // The job starts with the demo catalog (version time 0), then the control topic sends a
        // catalog at 11:00 that moves users-pg to eu-west-1, adds ledger-svc and drops everything
        // else, and one at 10:30, which arrives later but is older and so is left out.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ControlStreams control =
                ControlStreams.of(
                        env.fromData(
                                "{\"op\":\"catalog\",\"at\":\"2026-12-01T11:00:00Z\",\"catalog\":"
                                        + "{\"services\":{\"users-pg\":{\"team\":\"team-data\","
                                        + "\"tier\":\"datastore\",\"region\":\"eu-west-1\"},"
                                        + "\"ledger-svc\":{\"team\":\"team-payments\","
                                        + "\"runbook\":\"https://runbooks.example.internal/ledger\","
                                        + "\"vendor\":{\"name\":\"ledger-co\"}}}}}",
                                "{\"op\":\"catalog\",\"at\":\"2026-12-01T10:30:00Z\",\"catalog\":"
                                        + "{\"services\":{\"users-pg\":{\"region\":\"us-east-1\"}}}}"));
        new LiveSinks("localhost:1", "unused", s, "cluster")
                .catalogs(
                        control.catalogs(), CatalogReader.loadResource("demo/catalog.yaml", null));
        env.execute("services-catalog");

        assertThat(rows(s, "users-pg", "ledger-svc", "psp-api", "search-es"))
                .containsExactly(
                        // New in the catalog, unknown to the topology.
                        "ledger-svc   | team-payments - https://runbooks.example.internal/ledger"
                                + " - - - ledger-co - 2026-12-01 11:00:00",
                        // Listed before and not now: cleared, and the row says by which version.
                        "psp-api   | - - - - - - - - 2026-12-01 11:00:00",
                        "search-es team-search datastore | - - - - - - - - 2026-12-01 11:00:00",
                        // The topology's team and tier kept; the catalog's fields of 11:00 only.
                        "users-pg team-identity datastore | team-data - - datastore - eu-west-1"
                                + " - - 2026-12-01 11:00:00");
    }
}
