package io.tocsin.sink;

import io.tocsin.config.Catalog;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Topology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code services} dimension (migrations 006 and 014): per service the topology's team
 * and tier and the service catalog's fields, in one row. The table is a ReplacingMergeTree by
 * {@code updated_at}, so a new row replaces the whole old one: each write reads the current rows
 * first and keeps the columns it does not own (a topology load keeps the catalog's, a catalog load
 * the topology's). Meant for one writer at a time (the CLI's loads, the live job's catalog sink);
 * two at once could each keep the other's old columns until the next write.
 */
public final class ServicesTable {

    private ServicesTable() {}

    /** One row as stored; catalog fields null where the catalog does not say. */
    record Row(
            String service,
            String team,
            String tier,
            Instant updatedAt,
            String ownerTeam,
            String schedule,
            String runbookUrl,
            String serviceTier,
            String customerTier,
            String region,
            String vendor,
            Long vendorResponseSlaSeconds,
            Instant catalogAt) {

        static Row blank(String service) {
            return new Row(
                    service, "", "", null, null, null, null, null, null, null, null, null, null);
        }

        Row withTopology(Topology.Service s) {
            return new Row(
                    service,
                    s.team() == null ? "" : s.team(),
                    s.tier() == null ? "" : s.tier(),
                    updatedAt,
                    ownerTeam,
                    schedule,
                    runbookUrl,
                    serviceTier,
                    customerTier,
                    region,
                    vendor,
                    vendorResponseSlaSeconds,
                    catalogAt);
        }

        /** The catalog's fields from {@code s} (null: the version does not list the service). */
        Row withCatalog(Catalog.Service s, Instant at) {
            Catalog.Vendor v = s == null ? null : s.vendor();
            return new Row(
                    service,
                    team,
                    tier,
                    updatedAt,
                    s == null ? null : s.team(),
                    s == null ? null : s.schedule(),
                    s == null ? null : s.runbook(),
                    s == null ? null : s.tier(),
                    s == null ? null : s.customerTier(),
                    s == null ? null : s.region(),
                    v == null ? null : v.name(),
                    v == null || v.responseSla() == null ? null : v.responseSla().toSeconds(),
                    at);
        }
    }

    /** Writes the topology's team and tier per service; returns how many services. */
    public static int writeTopology(ClickHouseSettings settings, Topology topology)
            throws SQLException {
        if (topology.services().isEmpty()) {
            return 0;
        }
        try (Connection c =
                DriverManager.getConnection(settings.url(), settings.jdbcProperties())) {
            Map<String, Row> current = read(c);
            List<Row> out = new ArrayList<>();
            for (Topology.Service s : topology.services().values()) {
                out.add(current.getOrDefault(s.name(), Row.blank(s.name())).withTopology(s));
            }
            insert(c, out, next(current));
        }
        return topology.services().size();
    }

    /**
     * Writes catalog version {@code at}: its fields for every service it lists, and cleared fields
     * for services an earlier version listed and this one does not. A version older than the newest
     * already written is not written (what is in force is the newest, as in the escalate stage).
     *
     * @return the rows written, or -1 when a newer version is already there
     */
    public static int writeCatalog(ClickHouseSettings settings, Catalog catalog, Instant at)
            throws SQLException {
        try (Connection c =
                DriverManager.getConnection(settings.url(), settings.jdbcProperties())) {
            Map<String, Row> current = read(c);
            for (Row r : current.values()) {
                if (r.catalogAt() != null && r.catalogAt().isAfter(at)) {
                    return -1;
                }
            }
            List<Row> out = new ArrayList<>();
            for (Catalog.Service s : catalog.services().values()) {
                out.add(current.getOrDefault(s.name(), Row.blank(s.name())).withCatalog(s, at));
            }
            for (Row r : current.values()) {
                if (r.catalogAt() != null && !catalog.services().containsKey(r.service())) {
                    out.add(r.withCatalog(null, at));
                }
            }
            insert(c, out, next(current));
            return out.size();
        }
    }

    /** The newest row per service. */
    static Map<String, Row> read(Connection c) throws SQLException {
        Map<String, Row> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT service, team, tier, toUnixTimestamp64Milli(updated_at),"
                                        + " owner_team, schedule,"
                                        + " runbook_url, service_tier, customer_tier, region,"
                                        + " vendor, vendor_response_sla_s,"
                                        + " toUnixTimestamp64Milli(catalog_at)"
                                        + " FROM services FINAL ORDER BY service")) {
            while (rs.next()) {
                out.put(
                        rs.getString(1),
                        new Row(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                instant(rs, 4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                longOrNull(rs, 12),
                                instant(rs, 13)));
            }
        }
        return out;
    }

    /**
     * The version for new rows: now, but after every stored one, so a write in the same millisecond
     * as the last still replaces it.
     */
    private static Instant next(Map<String, Row> current) {
        Instant t = Instant.ofEpochMilli(System.currentTimeMillis());
        for (Row r : current.values()) {
            if (r.updatedAt() != null && !t.isAfter(r.updatedAt())) {
                t = r.updatedAt().plusMillis(1);
            }
        }
        return t;
    }

    private static void insert(Connection c, List<Row> rows, Instant updatedAt)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO services (service, team, tier, updated_at, owner_team,"
                                + " schedule, runbook_url, service_tier, customer_tier, region,"
                                + " vendor, vendor_response_sla_s, catalog_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
                int i = 1;
                ps.setString(i++, r.service());
                ps.setString(i++, r.team());
                ps.setString(i++, r.tier());
                ps.setString(i++, ClickHouseValues.time(updatedAt));
                nullable(ps, i++, r.ownerTeam());
                nullable(ps, i++, r.schedule());
                nullable(ps, i++, r.runbookUrl());
                nullable(ps, i++, r.serviceTier());
                nullable(ps, i++, r.customerTier());
                nullable(ps, i++, r.region());
                nullable(ps, i++, r.vendor());
                if (r.vendorResponseSlaSeconds() == null) {
                    ps.setNull(i++, Types.INTEGER);
                } else {
                    ps.setLong(i++, r.vendorResponseSlaSeconds());
                }
                nullable(
                        ps, i, r.catalogAt() == null ? null : ClickHouseValues.time(r.catalogAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void nullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Long millis = longOrNull(rs, i);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
