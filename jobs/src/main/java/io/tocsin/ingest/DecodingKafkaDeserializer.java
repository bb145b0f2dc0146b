package io.tocsin.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes records inside the Kafka source, so watermarks are generated per partition from the
 * records' own event times (and, live, from {@link Heartbeats}). Bad records become dead letters
 * with topic, partition and offset.
 */
public final class DecodingKafkaDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final RecordDecoder<T> decoder;
    private final Class<T> type;

    public DecodingKafkaDeserializer(RecordDecoder<T> decoder, Class<T> type) {
        this.decoder = decoder;
        this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (Heartbeats.isHeartbeat(record)) {
            out.collect(decoder.heartbeat(Math.max(1, record.timestamp())));
            return;
        }
        Origin origin =
                new Origin(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp() > 0 ? record.timestamp() : null);
        decoder.decode(record.value(), origin, out::collect);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
