package io.tocsin.pipeline;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.Topics;
import io.tocsin.escalate.page.Page;
import io.tocsin.escalate.page.PageJson;
import io.tocsin.sink.AvroKafkaRecords;
import io.tocsin.sink.ClickHouseSink;
import io.tocsin.sink.Tables;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Live outputs: the incident-events and dead-letters Kafka topics (transactional, exactly-once:
 * consumers read committed) and the ClickHouse tables (batched, replay-safe through
 * ReplacingMergeTree keys). ClickHouse is optional: without settings only Kafka is written.
 */
public final class LiveSinks implements Sinks {

    private final String bootstrapServers;
    private final String transactionalPrefix;
    private final ClickHouseSettings clickHouse;
    private final String domainLabel;

    /**
     * @param transactionalPrefix unique per job deployment: Kafka fences producers by it
     * @param clickHouse where to write tables, or null to write Kafka only
     */
    public LiveSinks(
            String bootstrapServers,
            String transactionalPrefix,
            ClickHouseSettings clickHouse,
            String domainLabel) {
        this.bootstrapServers = bootstrapServers;
        this.transactionalPrefix = transactionalPrefix;
        this.clickHouse = clickHouse;
        this.domainLabel = domainLabel;
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(
                        kafka(
                                new AvroKafkaRecords<DeadLetter>(
                                        Topics.DEAD_LETTERS.name(),
                                        d -> null,
                                        v -> DeadLetter.getEncoder()),
                                "dead-letters"))
                .name("dead-letters-kafka")
                .uid("dead-letters-kafka");
        if (clickHouse != null) {
            deadLetters
                    .sinkTo(new ClickHouseSink<>(clickHouse, new Tables.DeadLetters()))
                    .name("dead-letters-clickhouse")
                    .uid("dead-letters-clickhouse");
        }
    }

    @Override
    public void alertTransitions(DataStream<Alert> transitions) {
        if (clickHouse != null) {
            transitions
                    .sinkTo(new ClickHouseSink<>(clickHouse, new Tables.Alerts(domainLabel)))
                    .name("alerts-clickhouse")
                    .uid("alerts-clickhouse");
        }
    }

    @Override
    public void incidentEvents(DataStream<IncidentEvent> events) {
        events.sinkTo(
                        kafka(
                                new AvroKafkaRecords<IncidentEvent>(
                                        Topics.INCIDENT_EVENTS.name(),
                                        IncidentEvent::getIncidentId,
                                        v -> IncidentEvent.getEncoder()),
                                "incident-events"))
                .name("incident-events-kafka")
                .uid("incident-events-kafka");
        if (clickHouse != null) {
            events.sinkTo(new ClickHouseSink<>(clickHouse, new Tables.IncidentEvents()))
                    .name("incident-events-clickhouse")
                    .uid("incident-events-clickhouse");
        }
    }

    /** The pages topic: Events v2 JSON keyed by dedup key (the incident id), exactly once. */
    @Override
    public void pages(DataStream<Page> pages) {
        pages.sinkTo(
                        kafka(
                                (KafkaRecordSerializationSchema<Page>)
                                        (page, ctx, ts) ->
                                                new ProducerRecord<>(
                                                        Topics.PAGES.name(),
                                                        page.dedupKey.getBytes(
                                                                StandardCharsets.UTF_8),
                                                        PageJson.toJson(page)
                                                                .getBytes(StandardCharsets.UTF_8)),
                                "pages"))
                .name("pages-kafka")
                .uid("pages-kafka");
    }

    @Override
    public void anomalyScores(DataStream<AnomalyScore> scores) {
        if (clickHouse != null) {
            scores.sinkTo(new ClickHouseSink<>(clickHouse, new Tables.Anomalies(domainLabel)))
                    .name("anomalies-clickhouse")
                    .uid("anomalies-clickhouse");
        }
    }

    private <T> KafkaSink<T> kafka(KafkaRecordSerializationSchema<T> schema, String name) {
        Properties producer = new Properties();
        // Below the broker's transaction.max.timeout.ms (15 min by default).
        producer.setProperty("transaction.timeout.ms", "600000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalPrefix + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
