package io.tocsin.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.DetectorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tocsin detect}'s core: NAB's data layout in, NAB's results layout out. */
class CsvDetectionTest {

    @TempDir Path dir;

    @Test
    void scoresEverySeriesFileUnderTheSameRelativePath() throws Exception {
        Path in = dir.resolve("data");
        Path out = dir.resolve("results");
        List<String> rows = new ArrayList<>();
        rows.add("timestamp,value");
        for (int i = 0; i < 400; i++) {
            rows.add(
                    String.format(
                            "2014-04-01 %02d:%02d:00,%d", i / 12 % 24, i % 12 * 5, 10 + i % 7));
        }
        rows.add("2014-04-02 09:20:00,");
        rows.add("2014-04-02T09:25:00Z,1000");
        Files.createDirectories(in.resolve("realKnownCause"));
        Files.write(in.resolve("realKnownCause/machine.csv"), rows);
        Files.writeString(in.resolve("README.md"), "not a series");
        Files.writeString(in.resolve("labels.csv"), "file,label\nx,1\n");

        CsvDetection.Result r = CsvDetection.run(in, out, DetectorSettings.DEFAULTS);

        assertThat(r.files()).isEqualTo(1);
        assertThat(r.points()).isEqualTo(402);
        assertThat(r.maxStateBytes()).isPositive().isLessThan(800);
        List<String> scored = Files.readAllLines(out.resolve("realKnownCause/machine.csv"));
        assertThat(scored).hasSize(403);
        assertThat(scored.get(0)).isEqualTo("timestamp,value,anomaly_score");
        assertThat(scored.get(1)).startsWith("2014-04-01 00:00:00,10,");
        assertThat(scored.get(401))
                .as("a missing value scores 0")
                .isEqualTo("2014-04-02 09:20:00,,0.0");
        for (String row : scored.subList(1, scored.size())) {
            double score = Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
            assertThat(score).isBetween(0.0, 1.0);
        }
        double jump =
                Double.parseDouble(scored.get(402).substring(scored.get(402).lastIndexOf(',') + 1));
        assertThat(jump).as("a value far beyond anything seen").isGreaterThan(0.6);
        assertThat(Files.exists(out.resolve("labels.csv"))).isFalse();
    }

    @Test
    void readsZonedAndZonelessTimestamps() {
        assertThat(CsvDetection.parseTime("2014-04-01 00:05:00"))
                .isEqualTo(CsvDetection.parseTime("2014-04-01T00:05:00Z"))
                .isEqualTo(CsvDetection.parseTime("2014-04-01T02:05:00+02:00"))
                .isEqualTo(CsvDetection.parseTime("2014-04-01 00:05:00.000000"));
    }
}
