package io.tocsin.pipeline;

import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.ChangeDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.DecodedLinesFormat;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.IngestedChange;
import io.tocsin.ingest.IngestedCommand;
import io.tocsin.ingest.IngestedPoint;
import io.tocsin.ingest.MetricPointDecoder;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Backtest input: an alerts file in JSON Lines (DESIGN.md file contract), read once, and optionally
 * control and telemetry files.
 */
public final class FileSources implements Sources {

    private final Path alertsFile;
    private final Path controlFile;
    private final Path telemetryFile;
    private Path commandsFile;
    private Path changesFile;

    public FileSources(Path alertsFile) {
        this(alertsFile, null);
    }

    /**
     * @param controlFile control messages (JSON lines, each with its event time "at"), or null
     */
    public FileSources(Path alertsFile, Path controlFile) {
        this(alertsFile, controlFile, null);
    }

    /**
     * @param controlFile control messages (JSON lines, each with its event time "at"), or null
     * @param telemetryFile telemetry points (JSON lines, see MetricPointDecoder), or null
     */
    public FileSources(Path alertsFile, Path controlFile, Path telemetryFile) {
        this.alertsFile = alertsFile.toAbsolutePath();
        this.controlFile = controlFile == null ? null : controlFile.toAbsolutePath();
        this.telemetryFile = telemetryFile == null ? null : telemetryFile.toAbsolutePath();
    }

    /** Also replays commands (JSON lines, see CommandDecoder) from {@code file}. */
    public FileSources withCommands(Path file) {
        this.commandsFile = file == null ? null : file.toAbsolutePath();
        return this;
    }

    /** Also replays changes (JSON lines, see ChangeDecoder) from {@code file}. */
    public FileSources withChanges(Path file) {
        this.changesFile = file == null ? null : file.toAbsolutePath();
        return this;
    }

    @Override
    public DataStream<IngestedChange> changes(
            StreamExecutionEnvironment env,
            ChangeDecoder decoder,
            WatermarkStrategy<IngestedChange> watermarks) {
        if (changesFile == null) {
            return Sources.super.changes(env, decoder, watermarks);
        }
        FileSource<IngestedChange> source =
                FileSource.forRecordStreamFormat(
                                new DecodedLinesFormat<>(
                                        changesFile.getFileName().toString(),
                                        decoder,
                                        IngestedChange.class),
                                new org.apache.flink.core.fs.Path(changesFile.toUri()))
                        .build();
        return env.fromSource(source, watermarks, "changes-file").uid("changes-file");
    }

    @Override
    public DataStream<IngestedCommand> commands(
            StreamExecutionEnvironment env,
            CommandDecoder decoder,
            WatermarkStrategy<IngestedCommand> watermarks) {
        if (commandsFile == null) {
            return Sources.super.commands(env, decoder, watermarks);
        }
        FileSource<IngestedCommand> source =
                FileSource.forRecordStreamFormat(
                                new DecodedLinesFormat<>(
                                        commandsFile.getFileName().toString(),
                                        decoder,
                                        IngestedCommand.class),
                                new org.apache.flink.core.fs.Path(commandsFile.toUri()))
                        .build();
        return env.fromSource(source, watermarks, "commands-file").uid("commands-file");
    }

    @Override
    public DataStream<IngestedPoint> telemetry(
            StreamExecutionEnvironment env,
            MetricPointDecoder decoder,
            WatermarkStrategy<IngestedPoint> watermarks) {
        if (telemetryFile == null) {
            return Sources.super.telemetry(env, decoder, watermarks);
        }
        FileSource<IngestedPoint> source =
                FileSource.forRecordStreamFormat(
                                new DecodedLinesFormat<>(
                                        telemetryFile.getFileName().toString(),
                                        decoder,
                                        IngestedPoint.class),
                                new org.apache.flink.core.fs.Path(telemetryFile.toUri()))
                        .build();
        return env.fromSource(source, watermarks, "telemetry-file").uid("telemetry-file");
    }

    @Override
    public DataStream<String> control(StreamExecutionEnvironment env) {
        if (controlFile == null) {
            return Sources.super.control(env);
        }
        FileSource<String> source =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(controlFile.toUri()))
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "control-file")
                .uid("control-file")
                .filter(l -> !l.isBlank())
                .name("control-lines")
                .uid("control-lines");
    }

    @Override
    public DataStream<Ingested> alerts(
            StreamExecutionEnvironment env,
            AlertDecoder decoder,
            WatermarkStrategy<Ingested> watermarks) {
        FileSource<Ingested> source =
                FileSource.forRecordStreamFormat(
                                new DecodedLinesFormat<>(
                                        alertsFile.getFileName().toString(),
                                        decoder,
                                        Ingested.class),
                                new org.apache.flink.core.fs.Path(alertsFile.toUri()))
                        .build();
        return env.fromSource(source, watermarks, "alerts-file").uid("alerts-file");
    }
}
