package io.tocsin.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** How one record type becomes one row of one ClickHouse table. */
public interface ClickHouseTable<T> extends Serializable {

    String table();

    List<String> columns();

    /** Binds {@code value} to parameters 1..columns().size() of an INSERT statement. */
    void bind(PreparedStatement ps, T value) throws SQLException;

    /**
     * The instant the table's TTL counts from for this row (its {@code TTL ... + INTERVAL
     * retention_days DAY} column), so the sink can say when a row is already past the retention as
     * it is written; null for a table without a TTL.
     */
    default Instant retainedFrom(T value) {
        return null;
    }

    default String insertSql() {
        return "INSERT INTO "
                + table()
                + " ("
                + String.join(", ", columns())
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns().size(), "?"))
                + ")";
    }
}
