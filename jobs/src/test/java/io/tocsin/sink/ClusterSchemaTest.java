package io.tocsin.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.LocalClickHouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * sql/cluster/schema.sql (the replicated, sharded production schema) is checked against
 * sql/migrations, so a migration cannot ship without its cluster counterpart: every table the
 * migrations leave behind (CREATE TABLE plus every later ALTER TABLE ... ADD COLUMN) has the same
 * columns, in the same order and with the same definitions, in the cluster schema's {@code
 * <table>_local} (or {@code <table>} for the tables copied whole to every node), and every
 * materialized view and view of the migrations exists there too.
 */
class ClusterSchemaTest {

    private static final Path SQL = LocalClickHouse.projectRoot().resolve("sql");
    private static final Pattern CREATE_TABLE =
            Pattern.compile(
                    "(?is)^CREATE TABLE IF NOT EXISTS (\\w+)(?: ON CLUSTER '\\{cluster\\}')?\\s*\\((.*?)\\)\\s*ENGINE");
    private static final Pattern ADD_COLUMN =
            Pattern.compile("(?is)^ALTER TABLE (\\w+) ADD COLUMN IF NOT EXISTS (.*)$");
    private static final Pattern VIEW =
            Pattern.compile("(?is)^CREATE (?:MATERIALIZED )?VIEW IF NOT EXISTS (\\w+)");

    @Test
    void theClusterSchemaHasEveryColumnOfTheMigrations() throws IOException {
        Map<String, Map<String, String>> migrated = new LinkedHashMap<>();
        List<String> views = new ArrayList<>();
        for (String name : ClickHouseMigrator.MIGRATIONS) {
            for (String st :
                    ClickHouseMigrator.statements(
                            Files.readString(SQL.resolve("migrations").resolve(name)))) {
                Matcher t = CREATE_TABLE.matcher(st.strip());
                Matcher a = ADD_COLUMN.matcher(st.strip());
                Matcher v = VIEW.matcher(st.strip());
                if (t.find()) {
                    migrated.put(t.group(1), columns(t.group(2)));
                } else if (a.find()) {
                    assertThat(migrated)
                            .as("%s alters a known table", name)
                            .containsKey(a.group(1));
                    Map<String, String> c = columns(a.group(2));
                    migrated.get(a.group(1)).putAll(c);
                } else if (v.find()) {
                    views.add(v.group(1));
                }
            }
        }
        assertThat(migrated).containsKeys("alerts", "anomalies", "incident_events");

        Map<String, Map<String, String>> cluster = new LinkedHashMap<>();
        List<String> clusterViews = new ArrayList<>();
        for (String st :
                ClickHouseMigrator.statements(
                        Files.readString(SQL.resolve("cluster").resolve("schema.sql")))) {
            Matcher t = CREATE_TABLE.matcher(st.strip());
            Matcher v = VIEW.matcher(st.strip());
            if (t.find()) {
                cluster.put(t.group(1), columns(t.group(2)));
            } else if (v.find()) {
                clusterViews.add(v.group(1));
            }
        }

        for (var e : migrated.entrySet()) {
            String table = e.getKey();
            Map<String, String> there =
                    cluster.containsKey(table + "_local")
                            ? cluster.get(table + "_local")
                            : cluster.get(table);
            assertThat(there)
                    .as("sql/cluster/schema.sql creates %s_local (or %s)", table, table)
                    .isNotNull();
            assertThat(new ArrayList<>(there.keySet()))
                    .as("the columns of %s on the cluster, in order", table)
                    .isEqualTo(new ArrayList<>(e.getValue().keySet()));
            for (var c : e.getValue().entrySet()) {
                assertThat(there.get(c.getKey()))
                        .as("%s.%s on the cluster", table, c.getKey())
                        .isEqualTo(c.getValue());
            }
        }
        assertThat(clusterViews).containsAll(views);
    }

    /** Column name to its definition (type, default, codec), whitespace and comments normalized. */
    private static Map<String, String> columns(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String def : splitTopLevel(list.replaceAll("--[^\\n]*", ""))) {
            String d = def.strip().replaceAll("\\s+", " ");
            if (d.isEmpty() || d.startsWith("INDEX ") || d.startsWith("PROJECTION ")) {
                continue;
            }
            int sp = d.indexOf(' ');
            out.put(d.substring(0, sp), d.substring(sp + 1).replaceAll(";$", ""));
        }
        return out;
    }

    /** Splits on commas outside parentheses and quotes. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(ch);
        }
        out.add(cur.toString());
        return out;
    }
}
