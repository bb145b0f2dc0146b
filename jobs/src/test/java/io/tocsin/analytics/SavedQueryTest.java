package io.tocsin.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.testing.LocalClickHouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The saved-query files, their parsing, and the rendering of results (no ClickHouse needed). */
class SavedQueryTest {

    @Test
    void theListNamesEveryFileInSqlQueriesInOrder() throws Exception {
        try (Stream<Path> files =
                Files.list(LocalClickHouse.projectRoot().resolve("sql/queries"))) {
            List<String> names =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".sql"))
                            .map(n -> n.substring(0, n.length() - 4))
                            .sorted()
                            .toList();
            assertThat(SavedQuery.NAMES).containsExactlyElementsOf(names);
        }
    }

    @Test
    void everyQueryHasAPurposeARangeAndExampleOutput() throws Exception {
        for (String name : SavedQuery.NAMES) {
            SavedQuery q = SavedQuery.load(name);
            assertThat(q.purpose()).as(name).isNotBlank().doesNotStartWith("-");
            assertThat(q.parameters())
                    .as(name)
                    .containsEntry("from", "DateTime64(3, 'UTC')")
                    .containsEntry("to", "DateTime64(3, 'UTC')");
            assertThat(q.sql()).as(name).doesNotContain("--").doesNotEndWith(";");
            String text =
                    Files.readString(
                            LocalClickHouse.projectRoot().resolve("sql/queries/" + name + ".sql"));
            assertThat(text).as(name).contains("\n-- Example output");
        }
    }

    @Test
    void theReportRunsEveryQuery() {
        assertThat(Report.SECTIONS.stream().map(Report.Section::query).distinct())
                .containsExactlyInAnyOrderElementsOf(SavedQuery.NAMES);
    }

    @Test
    void theGrafanaDashboardHasAPanelPerSavedQueryWithTheSameSql() throws Exception {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                LocalClickHouse.projectRoot()
                                        .resolve("deploy/grafana/tocsin-analytics.json")
                                        .toFile());
        Map<String, String> panels = new java.util.HashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                panels.put(
                        target.path("meta").path("savedQuery").asText(),
                        target.path("rawSql").asText());
            }
        }
        for (String name : SavedQuery.NAMES) {
            String sql =
                    SavedQuery.load(name)
                            .sql()
                            .replaceAll("\\{from:[^}]+}", "\\$__fromTime_ms")
                            .replaceAll("\\{to:[^}]+}", "\\$__toTime_ms")
                            .replaceAll("\\{by:[^}]+}", "'\\${by}'");
            assertThat(panels.get(name))
                    .as(name + ": run python3 deploy/grafana/make_dashboard.py")
                    .isEqualTo(sql);
        }
    }

    @Test
    void parametersAreCollectedAndMustKeepOneType() {
        SavedQuery q =
                SavedQuery.parse(
                        "x",
                        "-- Purpose.\n-- more\nSELECT {a:UInt8} + {a:UInt8}, {b:String};\n-- out\n");
        assertThat(q.purpose()).isEqualTo("Purpose.");
        assertThat(q.sql()).isEqualTo("SELECT {a:UInt8} + {a:UInt8}, {b:String}");
        assertThat(q.parameters()).isEqualTo(Map.of("a", "UInt8", "b", "String"));
        assertThatThrownBy(() -> SavedQuery.parse("y", "-- P\nSELECT {a:UInt8}, {a:String}"))
                .hasMessageContaining("parameter a used as both UInt8 and String");
        assertThatThrownBy(() -> SavedQuery.parse("z", "SELECT 1"))
                .hasMessageContaining("first line must be a '-- purpose' comment");
    }

    @Test
    void tabSeparatedResultsAreUnescapedAndNullsKept() {
        ResultTable t = QueryRunner.parse("name\tn\tnote\na\\tb\t1\t\\N\nc\\\\d\t22\tx\\ny\n");
        assertThat(t.columns()).containsExactly("name", "n", "note");
        assertThat(t.rows())
                .containsExactly(Arrays.asList("a\tb", "1", null), List.of("c\\d", "22", "x\ny"));
    }

    @Test
    void tablesPrintAlignedWithNumbersOnTheRight() {
        ResultTable t =
                new ResultTable(
                        List.of("team", "incidents"),
                        List.of(List.of("team-data", "4"), Arrays.asList("(unowned)", null)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "  ");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "  team       incidents",
                        "  --------------------",
                        "  team-data          4",
                        "  (unowned)          -");
    }
}
