package io.tocsin.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes alert records inside the Kafka source, so watermarks are generated per partition from the
 * alerts' own event times. Bad records become dead letters with topic, partition and offset.
 */
public final class KafkaAlertDeserializer implements KafkaRecordDeserializationSchema<Ingested> {

    private static final long serialVersionUID = 1L;

    private final AlertDecoder decoder;

    public KafkaAlertDeserializer(AlertDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        Origin origin =
                new Origin(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp() > 0 ? record.timestamp() : null);
        decoder.decode(record.value(), origin, out::collect);
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
