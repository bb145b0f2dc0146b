package io.tocsin.pipeline;

import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.Ingested;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the pipeline's input comes from: Kafka in live mode, files in backtest, collections in
 * tests. Sources decode as they read (so watermarks come from event times per Kafka partition) and
 * apply the given watermark strategy.
 */
public interface Sources {

    /** Decoded alert notifications and dead letters, with timestamps and watermarks assigned. */
    DataStream<Ingested> alerts(
            StreamExecutionEnvironment env,
            AlertDecoder decoder,
            WatermarkStrategy<Ingested> watermarks);
}
