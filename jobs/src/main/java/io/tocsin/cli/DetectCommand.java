package io.tocsin.cli;

import io.tocsin.anomaly.CsvDetection;
import io.tocsin.config.DetectorSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code tocsin detect}: runs the job's anomaly detector over CSV series files. */
final class DetectCommand {

    static final String USAGE =
            """
            Usage: tocsin detect --input DIR --out DIR

            Runs the telemetry anomaly detector (the classes the job uses, default tuning) over
            every CSV under --input whose header starts with timestamp,value (the Numenta Anomaly
            Benchmark's data layout), one fresh detector per file, point by point, no look-ahead.
            Writes timestamp,value,anomaly_score under the same relative path in --out (NAB's
            results layout; scores in [0, 1]). Timestamps without a zone are read as UTC; an empty
            or non-numeric value is a missing point (score 0).
            """;

    private DetectCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Args a = Args.parse("detect", argv, Set.of("input", "out"), Set.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        Path input = Path.of(a.required("input"));
        if (!Files.isDirectory(input)) {
            throw new Args.UsageException("detect: --input " + input + ": not a directory");
        }
        Path output = Path.of(a.required("out"));
        long start = System.nanoTime();
        CsvDetection.Result r = CsvDetection.run(input, output, DetectorSettings.DEFAULTS);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(
                Locale.ROOT,
                "detect: %d files, %d points in %.1f s (detector alone: %.0f points/s) -> %s%n",
                r.files(),
                r.points(),
                seconds,
                r.detectNanos() == 0 ? 0.0 : r.points() / (r.detectNanos() / 1e9),
                output);
        return r.files() == 0 ? 1 : 0;
    }
}
