package io.tocsin.pipeline;

import io.tocsin.config.KafkaClientSecurity;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Topics;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.ChangeDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.DecodingKafkaDeserializer;
import io.tocsin.ingest.EventTimeMode;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.IngestedChange;
import io.tocsin.ingest.IngestedCommand;
import io.tocsin.ingest.IngestedPoint;
import io.tocsin.ingest.MetricPointDecoder;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Live input from Kafka. Offsets are committed on checkpoints; a new consumer group starts at the
 * earliest offset so nothing already in the topic is skipped. Watermarks are per partition.
 */
public final class KafkaSources implements Sources {

    private final String bootstrapServers;
    private final String alertsTopic;
    private final String groupId;
    private final boolean bounded;
    private final OffsetsInitializer start;
    private String telemetryTopic;
    private String commandsTopic;
    private String changesTopic;
    private String controlTopic = Topics.CONTROL.name();
    private boolean live = true;
    private KafkaClientSecurity security = KafkaClientSecurity.PLAINTEXT;

    /** A live source on {@code kafka}, with its security settings. */
    public KafkaSources(KafkaEndpoint kafka, String alertsTopic, String groupId, boolean bounded) {
        this(kafka.bootstrapServers(), alertsTopic, groupId, bounded);
        this.security = kafka.security();
    }

    /** A source on {@code kafka}, with its security settings, starting at {@code start}. */
    public KafkaSources(
            KafkaEndpoint kafka,
            String alertsTopic,
            String groupId,
            boolean bounded,
            OffsetsInitializer start) {
        this(kafka.bootstrapServers(), alertsTopic, groupId, bounded, start);
        this.security = kafka.security();
    }

    /** A live source: committed offsets, or the beginning for a new group. */
    public KafkaSources(
            String bootstrapServers, String alertsTopic, String groupId, boolean bounded) {
        this(
                bootstrapServers,
                alertsTopic,
                groupId,
                bounded,
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
    }

    /**
     * @param bounded stop at the offsets that are latest when the job starts (tests and replays)
     * @param start where to start reading (e.g. the exact offsets a replay begins at)
     */
    public KafkaSources(
            String bootstrapServers,
            String alertsTopic,
            String groupId,
            boolean bounded,
            OffsetsInitializer start) {
        this.bootstrapServers = bootstrapServers;
        this.alertsTopic = alertsTopic;
        this.groupId = groupId;
        this.bounded = bounded;
        this.start = start;
    }

    /** Connects with these SASL / TLS settings (plaintext by default). */
    public KafkaSources withSecurity(KafkaClientSecurity security) {
        this.security = security;
        return this;
    }

    /** Also reads telemetry points from {@code topic} (none by default). */
    public KafkaSources withTelemetry(String topic) {
        this.telemetryTopic = topic;
        return this;
    }

    /** A bounded read (tests, a range of recorded input) is a backtest; else live or replay. */
    @Override
    public EventTimeMode timeMode() {
        if (bounded) {
            return EventTimeMode.BACKTEST;
        }
        return live ? EventTimeMode.LIVE : EventTimeMode.REPLAY;
    }

    /**
     * For a replay of recorded input faster than it happened (the demo): event time then runs ahead
     * of the wall clock, so the clock-following watermark of live mode would hold the job back;
     * idle inputs are marked idle instead, as in a backtest.
     */
    public KafkaSources replaying() {
        this.live = false;
        return this;
    }

    /** Unbounded live inputs get heartbeats on every partition; bounded replays need none. */
    @Override
    public void heartbeats(StreamExecutionEnvironment env, java.time.Duration interval) {
        if (!live()) {
            return;
        }
        java.util.List<String> topics = new java.util.ArrayList<>();
        topics.add(alertsTopic);
        if (telemetryTopic != null) {
            topics.add(telemetryTopic);
        }
        if (commandsTopic != null) {
            topics.add(commandsTopic);
        }
        if (changesTopic != null) {
            topics.add(changesTopic);
        }
        KafkaHeartbeats.attach(env, bootstrapServers, security, topics, interval);
    }

    /** Reads control messages from {@code topic} (default: the control topic). */
    public KafkaSources withControl(String topic) {
        this.controlTopic = topic;
        return this;
    }

    /** Also reads commands from {@code topic} (none by default). */
    public KafkaSources withCommands(String topic) {
        this.commandsTopic = topic;
        return this;
    }

    /** Also reads changes (deploys, config, flags, infrastructure) from {@code topic}. */
    public KafkaSources withChanges(String topic) {
        this.changesTopic = topic;
        return this;
    }

    @Override
    public DataStream<IngestedChange> changes(
            StreamExecutionEnvironment env,
            ChangeDecoder decoder,
            WatermarkStrategy<IngestedChange> watermarks) {
        if (changesTopic == null) {
            return Sources.super.changes(env, decoder, watermarks);
        }
        var builder =
                KafkaSource.<IngestedChange>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(changesTopic)
                        .setGroupId(groupId + "-changes")
                        .setStartingOffsets(start)
                        .setDeserializer(
                                new DecodingKafkaDeserializer<>(decoder, IngestedChange.class))
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks, "changes-kafka").uid("changes-kafka");
    }

    @Override
    public DataStream<IngestedCommand> commands(
            StreamExecutionEnvironment env,
            CommandDecoder decoder,
            WatermarkStrategy<IngestedCommand> watermarks) {
        if (commandsTopic == null) {
            return Sources.super.commands(env, decoder, watermarks);
        }
        var builder =
                KafkaSource.<IngestedCommand>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(commandsTopic)
                        .setGroupId(groupId + "-commands")
                        .setStartingOffsets(start)
                        .setDeserializer(
                                new DecodingKafkaDeserializer<>(decoder, IngestedCommand.class))
                        .setProperties(security.properties())
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks, "commands-kafka").uid("commands-kafka");
    }

    @Override
    public DataStream<IngestedPoint> telemetry(
            StreamExecutionEnvironment env,
            MetricPointDecoder decoder,
            WatermarkStrategy<IngestedPoint> watermarks) {
        if (telemetryTopic == null) {
            return Sources.super.telemetry(env, decoder, watermarks);
        }
        var builder =
                KafkaSource.<IngestedPoint>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(telemetryTopic)
                        .setGroupId(groupId + "-telemetry")
                        .setStartingOffsets(start)
                        .setDeserializer(
                                new DecodingKafkaDeserializer<>(decoder, IngestedPoint.class))
                        .setProperties(security.properties())
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks, "telemetry-kafka")
                .uid("telemetry-kafka");
    }

    /**
     * The control topic, always read from the beginning: the rules are the fold of all its messages
     * (after a restore, broadcast state and offsets come from the checkpoint).
     */
    @Override
    public DataStream<String> control(StreamExecutionEnvironment env) {
        var builder =
                KafkaSource.<String>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(controlTopic)
                        .setGroupId(groupId + "-control")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(
                                KafkaRecordDeserializationSchema.valueOnly(
                                        new SimpleStringSchema()))
                        .setProperties(security.properties())
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "control-kafka")
                .uid("control-kafka");
    }

    @Override
    public DataStream<Ingested> alerts(
            StreamExecutionEnvironment env,
            AlertDecoder decoder,
            WatermarkStrategy<Ingested> watermarks) {
        var builder =
                KafkaSource.<Ingested>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(alertsTopic)
                        .setGroupId(groupId)
                        .setStartingOffsets(start)
                        .setDeserializer(new DecodingKafkaDeserializer<>(decoder, Ingested.class))
                        .setProperties(security.properties())
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks, "alerts-kafka").uid("alerts-kafka");
    }
}
