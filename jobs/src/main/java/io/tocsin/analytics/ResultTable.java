package io.tocsin.analytics;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A query result as ClickHouse formats it (every value as text, NULL as {@code null}), printable as
 * an aligned table.
 */
public record ResultTable(List<String> columns, List<List<String>> rows) {

    public ResultTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(r)).toList();
    }

    /** The remaining rows of a JDBC result, every value as its text (NULL as {@code null}). */
    public static ResultTable read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            columns.add(md.getColumnLabel(i));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> r = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                r.add(rs.getString(i));
            }
            rows.add(r);
        }
        return new ResultTable(columns, rows);
    }

    /** The same table with one column heading replaced. */
    public ResultTable renameColumn(String from, String to) {
        return new ResultTable(columns.stream().map(c -> c.equals(from) ? to : c).toList(), rows);
    }

    /** The rows with their values joined by single spaces, e.g. for compact test expectations. */
    public List<String> lines() {
        return rows.stream()
                .map(r -> String.join(" ", r.stream().map(v -> v == null ? "-" : v).toList()))
                .toList();
    }

    /** Prints a header, a rule and the rows; numbers are right-aligned, NULL shows as '-'. */
    public void print(PrintStream out, String indent) {
        int n = columns.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) {
            width[i] = columns.get(i).length();
            numeric[i] = !rows.isEmpty();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < n; i++) {
                String v = cell(r.get(i));
                width[i] = Math.max(width[i], v.length());
                if (r.get(i) != null && !isNumber(r.get(i))) {
                    numeric[i] = false;
                }
            }
        }
        out.println(indent + line(columns, width, numeric, true));
        int total = 0;
        for (int w : width) {
            total += w;
        }
        out.println(indent + "-".repeat(total + 2 * (n - 1)));
        if (rows.isEmpty()) {
            out.println(indent + "(no rows)");
        }
        for (List<String> r : rows) {
            out.println(indent + line(r, width, numeric, false));
        }
    }

    private static String line(List<String> values, int[] width, boolean[] numeric, boolean head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String v = head ? values.get(i) : cell(values.get(i));
            if (i > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(width[i] - v.length());
            sb.append(numeric[i] ? pad + v : v + pad);
        }
        return sb.toString().stripTrailing();
    }

    private static String cell(String v) {
        if (v == null) {
            return "-";
        }
        return v.length() > 70 ? v.substring(0, 67) + "..." : v;
    }

    private static boolean isNumber(String v) {
        return v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|nan|inf|-inf");
    }
}
