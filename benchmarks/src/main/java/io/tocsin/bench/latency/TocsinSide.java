package io.tocsin.bench.latency;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Tocsin's side of the benchmark, all through the real broker: creates the run's topics (a prefix
 * of its own), sends probes and load to the alerts topic, reads pages and incident events as a
 * paging system would (read_committed), and reads the job's progress from its consumer group's
 * committed offsets (the Kafka source commits them on each checkpoint).
 */
final class TocsinSide implements AutoCloseable {

    private final String bootstrap;
    private final String prefix;
    private final String groupId;
    private final ProbeClock clock;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> probes;
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private final Thread reader;

    TocsinSide(String bootstrap, String prefix, String groupId, ProbeClock clock) throws Exception {
        this.bootstrap = bootstrap;
        this.prefix = prefix;
        this.groupId = groupId;
        this.clock = clock;
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(a);
        List<NewTopic> topics = new ArrayList<>();
        for (Topics t : Topics.all()) {
            topics.add(new NewTopic(t.in(prefix), t.partitions(), (short) 1));
        }
        admin.createTopics(topics).all().get();
        // A probe is sent as a gateway would send it: acknowledged by the broker, no batching wait.
        this.probes = producer("all", 0);
        this.reader = new Thread(this::readOutputs, "outputs-reader");
        reader.setDaemon(true);
    }

    /** Starts reading pages and incident events from their current ends. */
    void startReading() throws InterruptedException {
        reader.start();
        Thread.sleep(2000); // the consumer has its partitions and their end offsets
    }

    private KafkaProducer<byte[], byte[]> producer(String acks, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    void sendProbe(long probe) {
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        clock.sent(probe, t0);
        probes.send(
                new ProducerRecord<>(
                        Topics.ALERTS.in(prefix),
                        ProbeClock.service(probe).getBytes(StandardCharsets.UTF_8),
                        LoadAlerts.probe(probe, now)));
        probes.flush();
    }

    /**
     * Sends the load at {@code perSecond} (0: as fast as the producer goes) until {@code running}
     * is cleared or {@code limit} (if positive) are sent; returns the records sent.
     */
    long sendLoad(LoadAlerts load, double perSecond, long limit, AtomicBoolean running) {
        try (KafkaProducer<byte[], byte[]> p = producer("1", 5)) {
            Pacer pacer = new Pacer(perSecond);
            long i = 0;
            while (running.get() && (limit <= 0 || i < limit)) {
                pacer.acquire(1);
                p.send(new ProducerRecord<>(Topics.ALERTS.in(prefix), null, load.get(i++)));
            }
            p.flush();
            return i;
        }
    }

    /** Records in the alerts topic not yet committed by the job's consumer group. */
    long lag() throws Exception {
        return endOffsets() - committedOffsets();
    }

    /** The job's committed offsets on the alerts topic, summed over partitions. */
    long committedOffsets() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> c =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : c.entrySet()) {
            if (e.getKey().topic().equals(Topics.ALERTS.in(prefix)) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    long endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (int i = 0; i < Topics.ALERTS.partitions(); i++) {
            q.put(new TopicPartition(Topics.ALERTS.in(prefix), i), OffsetSpec.latest());
        }
        long sum = 0;
        for (var r : admin.listOffsets(q).all().get().values()) {
            sum += r.offset();
        }
        return sum;
    }

    private void readOutputs() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId + "-reader");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        String pages = Topics.PAGES.in(prefix);
        String events = Topics.INCIDENT_EVENTS.in(prefix);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(pages, events));
            while (reading.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.topic().equals(pages)) {
                        clock.seen(
                                ProbeClock.Answer.PAGE,
                                new String(r.value(), StandardCharsets.UTF_8),
                                now);
                    } else {
                        opened(r.value(), now);
                    }
                }
            }
        }
    }

    private void opened(byte[] value, long now) {
        try {
            IncidentEvent e = IncidentEvent.getDecoder().decode(ByteBuffer.wrap(value));
            if (e.getType() == IncidentEventType.OPENED) {
                clock.seen(ProbeClock.Answer.OPENED, String.join(",", e.getServices()), now);
            }
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("an incident event that is not an IncidentEvent", ex);
        }
    }

    @Override
    public void close() throws Exception {
        reading.set(false);
        reader.join(5000);
        probes.close();
        List<String> names = new ArrayList<>();
        for (Topics t : Topics.all()) {
            names.add(t.in(prefix));
        }
        admin.deleteTopics(names).all().get();
        admin.close();
    }
}
