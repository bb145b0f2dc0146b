package io.tocsin.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Serialises an Avro record for Kafka with Avro's single-object encoding (a schema fingerprint
 * header, so consumers can resolve it) and a key chosen per topic, e.g. the incident id so each
 * incident's events stay ordered in one partition; the record timestamp is the event time and
 * {@link PublishDelay} says how long after it the record was sent.
 */
public final class AvroKafkaRecords<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<Void, BinaryMessageEncoder<T>> encoderFactory;
    private transient BinaryMessageEncoder<T> encoder;

    public AvroKafkaRecords(
            String topic,
            SerializableFunction<T, String> key,
            SerializableFunction<Void, BinaryMessageEncoder<T>> encoderFactory) {
        this.topic = topic;
        this.key = key;
        this.encoderFactory = encoderFactory;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (encoder == null) {
            encoder = encoderFactory.apply(null);
        }
        ByteBuffer buf;
        try {
            buf = encoder.encode(element);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] value = new byte[buf.remaining()];
        buf.get(value);
        String k = key.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                value,
                PublishDelay.headers(timestamp, System.currentTimeMillis()));
    }
}
