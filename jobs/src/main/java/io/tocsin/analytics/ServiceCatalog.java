package io.tocsin.analytics;

import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Topology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Loads the topology's services (team and tier) into the {@code services} dimension table, which
 * the team-level saved queries join on. Each load adds newer rows; the newest row per service wins.
 */
public final class ServiceCatalog {

    private ServiceCatalog() {}

    /** Writes one row per service of {@code topology}; returns how many. */
    public static int load(ClickHouseSettings settings, Topology topology) throws SQLException {
        if (topology.services().isEmpty()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection(settings.url(), settings.jdbcProperties());
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO services (service, team, tier) VALUES (?, ?, ?)")) {
            for (Topology.Service s : topology.services().values()) {
                ps.setString(1, s.name());
                ps.setString(2, s.team() == null ? "" : s.team());
                ps.setString(3, s.tier() == null ? "" : s.tier());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return topology.services().size();
    }
}
