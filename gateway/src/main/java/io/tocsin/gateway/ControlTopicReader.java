package io.tocsin.gateway;

import io.tocsin.config.KafkaEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the control topic from its first offset into the {@link SilenceStore}, then follows it, so
 * silences written by another gateway or by hand are answered too. No consumer group: every gateway
 * reads the whole topic.
 */
public final class ControlTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlTopicReader.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final SilenceStore store;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile Map<TopicPartition, Long> endAtStart = Map.of();

    public ControlTopicReader(KafkaEndpoint kafka, String topic, SilenceStore store) {
        this.topic = topic;
        this.store = store;
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tocsin-gateway-control");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "control-topic-reader");
        thread.setDaemon(true);
    }

    /** Starts reading and waits up to {@code timeout} to have read what the topic held. */
    public boolean start(Duration timeout) throws InterruptedException {
        thread.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return caughtUp;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> parts = partitions();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            endAtStart = consumer.endOffsets(parts);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        store.apply(
                                r.partition(),
                                r.offset(),
                                new String(r.value(), StandardCharsets.UTF_8),
                                Instant.ofEpochMilli(r.timestamp()));
                    }
                }
                if (!caughtUp) {
                    caughtUp =
                            endAtStart.entrySet().stream()
                                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("control topic reader stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The control topic's partitions, waiting for it to exist. */
    private List<TopicPartition> partitions() {
        while (running) {
            List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (info != null && !info.isEmpty()) {
                return info.stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .collect(Collectors.toList());
            }
            LOG.warn("control topic {} not found yet; silences are empty until it exists", topic);
        }
        throw new WakeupException();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
