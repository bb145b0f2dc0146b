package io.tocsin.pipeline;

import io.tocsin.config.KafkaClientSecurity;
import io.tocsin.ingest.Heartbeats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The live job's heartbeat writer ({@link Heartbeats}): a rate-limited generator (parallelism 1)
 * whose every tick becomes one empty, marked record per partition of each input topic, written at
 * once (no batching wait). It is part of the job, so it runs exactly while the job runs, on a
 * MiniCluster or a cluster alike; the partitions are looked up when the job is built.
 */
final class KafkaHeartbeats {

    private KafkaHeartbeats() {}

    static void attach(
            StreamExecutionEnvironment env,
            String bootstrapServers,
            KafkaClientSecurity security,
            List<String> topics,
            Duration interval) {
        List<Tuple2<String, Integer>> partitions = partitions(bootstrapServers, security, topics);
        double perSecond = 1000.0 / Math.max(1, interval.toMillis());
        DataGeneratorSource<Long> ticks =
                new DataGeneratorSource<>(
                        i -> i,
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(perSecond),
                        Types.LONG);
        Properties producer = security.properties();
        producer.setProperty("linger.ms", "0");
        producer.setProperty("acks", "1");
        env.fromSource(ticks, WatermarkStrategy.noWatermarks(), "heartbeat-ticks")
                .uid("heartbeat-ticks")
                .setParallelism(1)
                .flatMap(
                        (Long tick, Collector<Tuple2<String, Integer>> out) ->
                                partitions.forEach(out::collect))
                .returns(Types.TUPLE(Types.STRING, Types.INT))
                .name("heartbeat-partitions")
                .uid("heartbeat-partitions")
                .setParallelism(1)
                .sinkTo(
                        KafkaSink.<Tuple2<String, Integer>>builder()
                                .setBootstrapServers(bootstrapServers)
                                .setRecordSerializer(
                                        (KafkaRecordSerializationSchema<Tuple2<String, Integer>>)
                                                (p, ctx, ts) ->
                                                        new ProducerRecord<>(
                                                                p.f0,
                                                                p.f1,
                                                                null,
                                                                null,
                                                                new byte[0],
                                                                new RecordHeaders(
                                                                        List.of(
                                                                                new RecordHeader(
                                                                                        Heartbeats
                                                                                                .HEADER,
                                                                                        Heartbeats
                                                                                                .mark())))))
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .setKafkaProducerConfig(producer)
                                .build())
                .name("heartbeats-kafka")
                .uid("heartbeats-kafka")
                .setParallelism(1);
    }

    /** Every partition of {@code topics}; fails fast when one does not exist. */
    static List<Tuple2<String, Integer>> partitions(
            String bootstrapServers, KafkaClientSecurity security, List<String> topics) {
        Properties p = security.properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicDescription> d =
                    admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS);
            List<Tuple2<String, Integer>> out = new ArrayList<>();
            for (String t : topics) {
                d.get(t).partitions().forEach(i -> out.add(Tuple2.of(t, i.partition())));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot describe the input topics " + topics + " at " + bootstrapServers, e);
        }
    }
}
