package io.tocsin.gateway;

import io.tocsin.config.KafkaEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one Kafka producer: idempotent, acks=all, so an HTTP request is answered only after
 * every record it carried is on all in-sync replicas. Writes fail fast (a few seconds) when the
 * broker is away, so the sender gets a 503 and retries instead of waiting out its own timeout.
 */
public final class KafkaWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWriter.class);

    /** How long a readiness answer is reused: /-/ready is polled, Kafka is not asked each time. */
    private static final long READY_CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final List<String> topics;
    private final GatewayMetricsSink metrics;

    private volatile long readyCheckedAt = Long.MIN_VALUE / 2;
    private volatile boolean ready;
    private volatile long lastFailureNanos = Long.MIN_VALUE / 2;
    private volatile long lastSuccessNanos = Long.MIN_VALUE / 2;

    /** Where write outcomes are counted. */
    public interface GatewayMetricsSink {
        void written(String topic, boolean ok);
    }

    /**
     * @param topics the topics the gateway writes; ready means each has a leader for every
     *     partition
     */
    public KafkaWriter(
            KafkaEndpoint kafka,
            Duration writeTimeout,
            List<String> topics,
            GatewayMetricsSink metrics) {
        this.topics = List.copyOf(topics);
        this.metrics = metrics;
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tocsin-gateway");
        // A short linger batches the records of concurrent requests; the acknowledgement dominates.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        int timeout = (int) writeTimeout.toMillis();
        int perRequest = Math.min(timeout, 5000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, perRequest);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, perRequest);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, perRequest + 2));
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Properties a = kafka.clientProperties();
        a.put("request.timeout.ms", 3000);
        a.put("default.api.timeout.ms", 3000);
        admin = Admin.create(a);
    }

    /** Sends one record; the future completes when all in-sync replicas have it. */
    public CompletableFuture<RecordMetadata> send(String topic, byte[] key, byte[] value) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(
                    new ProducerRecord<>(topic, key, value),
                    (meta, error) -> {
                        if (error == null) {
                            lastSuccessNanos = System.nanoTime();
                            metrics.written(topic, true);
                            done.complete(meta);
                        } else {
                            fail(topic, error);
                            done.completeExceptionally(error);
                        }
                    });
        } catch (RuntimeException e) {
            // Metadata not available within max.block.ms, buffer full, or closed.
            fail(topic, e);
            done.completeExceptionally(e);
        }
        return done;
    }

    private void fail(String topic, Throwable error) {
        lastFailureNanos = System.nanoTime();
        metrics.written(topic, false);
        LOG.warn("kafka write to {} failed: {}", topic, error.toString());
    }

    /**
     * True when Kafka accepts writes: every gateway topic has a leader on each partition, and the
     * last write did not fail after the last success.
     */
    public boolean ready() {
        long now = System.nanoTime();
        if (now - readyCheckedAt < READY_CACHE_NANOS) {
            return ready;
        }
        boolean ok;
        try {
            Map<String, TopicDescription> d =
                    admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(2000))
                            .allTopicNames()
                            .get(3, TimeUnit.SECONDS);
            ok = true;
            for (TopicDescription t : d.values()) {
                for (TopicPartitionInfo part : t.partitions()) {
                    ok &= part.leader() != null && !part.leader().isEmpty();
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ok = false;
        }
        if (ok && lastFailureNanos - lastSuccessNanos > 0) {
            // The topics look fine but the last write failed: ready again once a write succeeds
            // or the failure is older than a readiness period (a probe write would pollute a
            // topic).
            ok = now - lastFailureNanos > TimeUnit.SECONDS.toNanos(10);
        }
        ready = ok;
        readyCheckedAt = now;
        return ok;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
    }
}
