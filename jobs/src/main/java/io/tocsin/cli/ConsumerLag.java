package io.tocsin.cli;

import io.tocsin.config.KafkaEndpoint;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Topic end offsets and a consumer group's lag behind them, from Kafka's admin API. */
final class ConsumerLag {

    private ConsumerLag() {}

    /** The current end of each partition of {@code topics}: where this run's replay begins. */
    static Map<TopicPartition, Long> endOffsets(KafkaEndpoint kafka, String... topics)
            throws Exception {
        try (Admin admin = Admin.create(props(kafka))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topics))
                    .allTopicNames()
                    .get()
                    .forEach(
                            (topic, d) ->
                                    d.partitions()
                                            .forEach(
                                                    pi ->
                                                            latest.put(
                                                                    new TopicPartition(
                                                                            topic, pi.partition()),
                                                                    OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, r) -> out.put(tp, r.offset()));
            return out;
        }
    }

    /** Waits (180 s at most) until the group's committed offsets reach the end of {@code topic}. */
    static void waitCaughtUp(KafkaEndpoint kafka, String groupId, String topic, PrintStream out)
            throws Exception {
        try (Admin admin = Admin.create(props(kafka))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                Set<TopicPartition> parts = new HashSet<>();
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                long lag = 0;
                for (TopicPartition tp : parts) {
                    OffsetAndMetadata c = committed.get(tp);
                    lag += ends.get(tp).offset() - (c == null ? 0 : c.offset());
                }
                if (lag <= 0) {
                    return;
                }
                out.println("demo: ... job lag " + lag + " records on " + topic);
                Thread.sleep(2000);
            }
            throw new IllegalStateException(
                    "the job did not catch up with the " + topic + " topic within 180 s");
        }
    }

    private static Properties props(KafkaEndpoint kafka) {
        Properties p = kafka.clientProperties();
        return p;
    }
}
