package io.tocsin.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** How one record type becomes one row of one ClickHouse table. */
public interface ClickHouseTable<T> extends Serializable {

    String table();

    List<String> columns();

    /** Binds {@code value} to parameters 1..columns().size() of an INSERT statement. */
    void bind(PreparedStatement ps, T value) throws SQLException;

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
