package io.tocsin.pipeline;

import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.AlertLinesFormat;
import io.tocsin.ingest.Ingested;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Backtest input: an alerts file in JSON Lines (DESIGN.md file contract), read once. */
public final class FileSources implements Sources {

    private final Path alertsFile;

    public FileSources(Path alertsFile) {
        this.alertsFile = alertsFile.toAbsolutePath();
    }

    @Override
    public DataStream<Ingested> alerts(
            StreamExecutionEnvironment env,
            AlertDecoder decoder,
            WatermarkStrategy<Ingested> watermarks) {
        FileSource<Ingested> source =
                FileSource.forRecordStreamFormat(
                                new AlertLinesFormat(alertsFile.getFileName().toString(), decoder),
                                new org.apache.flink.core.fs.Path(alertsFile.toUri()))
                        .build();
        return env.fromSource(source, watermarks, "alerts-file").uid("alerts-file");
    }
}
