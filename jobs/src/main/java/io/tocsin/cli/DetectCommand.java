package io.tocsin.cli;

import io.tocsin.anomaly.CsvDetection;
import io.tocsin.config.DetectorSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tocsin detect}: runs the job's anomaly detector over CSV series files. */
@Command(
        name = "detect",
        header = "score timestamp,value CSV files with the telemetry anomaly detector",
        sortOptions = false,
        description = {
            "Runs the telemetry anomaly detector (the classes the job uses, default tuning) over",
            "every CSV under --input whose header starts with timestamp,value (the Numenta Anomaly",
            "Benchmark's data layout), one fresh detector per file, point by point, no look-ahead.",
            "Writes timestamp,value,anomaly_score under the same relative path in --out (NAB's",
            "results layout; scores in [0, 1]). Timestamps without a zone are read as UTC; an empty",
            "or non-numeric value is a missing point (score 0). Exit code 1 when no file was found.",
            ""
        })
final class DetectCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "the CSV files")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "where to write the scores")
    Path output;

    private final PrintStream out;

    DetectCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(input)) {
            throw new ParameterException(
                    spec.commandLine(), "--input " + input + ": not a directory");
        }
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
