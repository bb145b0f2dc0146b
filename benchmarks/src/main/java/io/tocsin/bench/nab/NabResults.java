package io.tocsin.bench.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a detector's results in NAB's layout: for each data file {@code <category>/<file>.csv} a
 * CSV {@code <category>/<file>.csv} or {@code <category>/<detector>_<file>.csv} with at least the
 * columns {@code timestamp} and {@code anomaly_score} (extra columns, as in NAB's published
 * results, are ignored).
 */
public final class NabResults {

    private NabResults() {}

    /** One {@link ScoredFile} per labelled file, in the labels' order. */
    public static List<ScoredFile> read(Path resultsDir, NabLabels labels) throws IOException {
        List<ScoredFile> files = new ArrayList<>();
        for (String relative : labels.files()) {
            files.add(readFile(find(resultsDir, relative), relative));
        }
        return files;
    }

    /** The results file for a data file: the same name, or the name after a detector prefix. */
    static Path find(Path resultsDir, String relativePath) throws IOException {
        Path exact = resultsDir.resolve(relativePath);
        if (Files.isRegularFile(exact)) {
            return exact;
        }
        Path dir = exact.getParent();
        String suffix = "_" + exact.getFileName();
        List<Path> matches;
        try (Stream<Path> s = Files.list(dir)) {
            matches = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new IOException(resultsDir + ": no results for " + relativePath, e);
        }
        // Shortest name wins: "numenta_speed_6005.csv" over "numenta_x_speed_6005.csv".
        return matches.stream()
                .min(
                        (a, b) ->
                                a.getFileName().toString().length()
                                        - b.getFileName().toString().length())
                .orElseThrow(
                        () -> new IOException(resultsDir + ": no results for " + relativePath));
    }

    static ScoredFile readFile(Path file, String relativePath) throws IOException {
        List<LocalDateTime> timestamps = new ArrayList<>();
        double[] scores = new double[1024];
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null) {
                throw new IOException(file + ": empty");
            }
            List<String> columns = Arrays.asList(header.trim().split(","));
            int tCol = columns.indexOf("timestamp");
            int sCol = columns.indexOf("anomaly_score");
            if (tCol < 0 || sCol < 0) {
                throw new IOException(file + ": needs columns timestamp and anomaly_score");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                double score;
                try {
                    timestamps.add(NabTimes.parse(f[tCol]));
                    score = Double.parseDouble(f[sCol]);
                } catch (RuntimeException e) {
                    throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
                }
                if (Double.isNaN(score)) {
                    throw new IOException(file + ":" + lineNo + ": anomaly_score is NaN");
                }
                if (timestamps.size() > scores.length) {
                    scores = Arrays.copyOf(scores, scores.length * 2);
                }
                scores[timestamps.size() - 1] = score;
            }
        }
        return new ScoredFile(relativePath, timestamps, Arrays.copyOf(scores, timestamps.size()));
    }
}
