package io.tocsin.gateway;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.Heartbeats;
import io.tocsin.ingest.Ingested;
import io.tocsin.ingest.Origin;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * Feeds the board: reads the incident-events topic from its first offset (the lifecycle of every
 * incident still in the topic) and the alerts topic (labels and annotations of member alerts), then
 * follows both. No consumer group: every gateway reads everything. Records it cannot decode are
 * counted and skipped (the job dead-letters bad alerts; an incident event the board cannot read is
 * logged once).
 */
final class BoardFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BoardFeed.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String eventsTopic;
    private final String alertsTopic;
    private final BoardState state;
    private final AlertDecoder decoder;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile long undecodable;

    BoardFeed(
            KafkaEndpoint kafka,
            String eventsTopic,
            String alertsTopic,
            AlertDecoder decoder,
            BoardState state) {
        this.eventsTopic = eventsTopic;
        this.alertsTopic = alertsTopic;
        this.decoder = decoder;
        this.state = state;
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tocsin-gateway-board");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "board-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True once the topics' partitions were found and are being read. */
    boolean following() {
        return assigned;
    }

    long undecodable() {
        return undecodable;
    }

    private void run() {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            while (running && parts.isEmpty()) {
                parts = partitions();
                if (parts.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            assigned = true;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (Heartbeats.isHeartbeat(r) || r.value() == null) {
                        continue;
                    }
                    if (r.topic().equals(eventsTopic)) {
                        event(r);
                    } else {
                        alert(r);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("board feed stopped: the board no longer updates", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> out = new ArrayList<>();
        try {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(5));
            for (String t : List.of(eventsTopic, alertsTopic)) {
                List<PartitionInfo> ps = topics.get(t);
                if (ps == null) {
                    if (t.equals(eventsTopic)) {
                        return List.of(); // wait for the job's output topic
                    }
                    continue;
                }
                for (PartitionInfo pi : ps) {
                    out.add(new TopicPartition(t, pi.partition()));
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.warn("board feed: Kafka not reachable yet ({}), retrying", e.getMessage());
            return List.of();
        }
        return out;
    }

    private void event(ConsumerRecord<byte[], byte[]> r) {
        try {
            state.apply(IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value())));
        } catch (Exception e) {
            if (undecodable++ == 0) {
                LOG.warn(
                        "board feed: {}-{}@{} is not an IncidentEvent ({}); skipped (logged once)",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e.toString());
            }
        }
    }

    private void alert(ConsumerRecord<byte[], byte[]> r) {
        Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.timestamp());
        decoder.decode(
                r.value(),
                origin,
                (Ingested i) -> {
                    if (i.value != null) {
                        state.alert(i.value);
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
