package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs the job's detector over {@code timestamp,value} CSV files, one fresh detector per file,
 * point by point, and writes {@code timestamp,value,anomaly_score} under the same relative path:
 * the Numenta Anomaly Benchmark's data and results layouts. What {@code tocsin detect} and the NAB
 * harness run.
 */
public final class CsvDetection {

    /** Timestamps without a zone ({@code 2014-04-10 07:15:00}) are read as UTC. */
    private static final DateTimeFormatter LOCAL =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd")
                    .optionalStart()
                    .appendLiteral(' ')
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral('T')
                    .optionalEnd()
                    .appendPattern("HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter(Locale.ROOT);

    /**
     * What a run did.
     *
     * @param files CSV files scored
     * @param points rows scored
     * @param detectNanos time spent in the detector only (no file I/O)
     * @param maxStateBytes the largest detector state at the end of a file
     * @param meanStateBytes the mean detector state at the end of a file
     */
    public record Result(
            int files, long points, long detectNanos, int maxStateBytes, double meanStateBytes) {}

    private CsvDetection() {}

    /** Scores every {@code timestamp,value} CSV under {@code input} into {@code output}. */
    public static Result run(Path input, Path output, DetectorSettings settings)
            throws IOException {
        List<Path> files = find(input);
        long points = 0;
        long nanos = 0;
        int maxState = 0;
        long sumState = 0;
        for (Path file : files) {
            Series s = read(file);
            SeriesDetector detector = new SeriesDetector(settings);
            double[] scores = new double[s.values.length];
            long start = System.nanoTime();
            for (int i = 0; i < scores.length; i++) {
                scores[i] = detector.update(s.times[i], s.values[i]).score();
            }
            nanos += System.nanoTime() - start;
            points += scores.length;
            int stateBytes = detector.toBytes().length;
            maxState = Math.max(maxState, stateBytes);
            sumState += stateBytes;
            Path out = output.resolve(input.relativize(file).toString());
            Files.createDirectories(out.toAbsolutePath().getParent());
            write(out, s, scores);
        }
        return new Result(
                files.size(),
                points,
                nanos,
                maxState,
                files.isEmpty() ? 0 : (double) sumState / files.size());
    }

    /** The CSV files under {@code dir} whose header starts with {@code timestamp,value}, sorted. */
    static List<Path> find(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .filter(CsvDetection::hasSeriesHeader)
                    .sorted()
                    .toList();
        }
    }

    private static boolean hasSeriesHeader(Path p) {
        try (BufferedReader in = Files.newBufferedReader(p)) {
            String header = in.readLine();
            return header != null
                    && header.trim().toLowerCase(Locale.ROOT).startsWith("timestamp,value");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of one file, with the original text of each row kept for the output. */
    private record Series(String[] rows, long[] times, double[] values) {}

    private static Series read(Path file) throws IOException {
        List<String> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    rows.add(line.trim());
                }
            }
        }
        long[] times = new long[rows.size()];
        double[] values = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",", -1);
            if (f.length < 2) {
                throw new IOException(file + ":" + (i + 2) + ": expected timestamp,value");
            }
            try {
                times[i] = parseTime(f[0]);
            } catch (DateTimeParseException e) {
                throw new IOException(file + ":" + (i + 2) + ": bad timestamp '" + f[0] + "'", e);
            }
            values[i] = parseValue(f[1]);
        }
        return new Series(rows.toArray(new String[0]), times, values);
    }

    /** Epoch millis of an ISO-8601 / RFC 3339 time, or of a zone-less one read as UTC. */
    static long parseTime(String text) {
        String t = text.trim();
        try {
            return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        }
    }

    /** A missing or unreadable value is a missing point (NaN), which the detector skips. */
    private static double parseValue(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void write(Path out, Series s, double[] scores) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            w.write("timestamp,value,anomaly_score\n");
            for (int i = 0; i < scores.length; i++) {
                String[] f = s.rows[i].split(",", -1);
                w.write(f[0]);
                w.write(',');
                w.write(f[1]);
                w.write(',');
                w.write(Double.toString(scores[i]));
                w.write('\n');
            }
        }
    }
}
