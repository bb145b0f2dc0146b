package io.tocsin.pipeline;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.avro.Alert;
import io.tocsin.avro.Change;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.Catalog;
import io.tocsin.config.ClickHouseSettings;
import io.tocsin.config.KafkaClientSecurity;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Topics;
import io.tocsin.control.CatalogVersion;
import io.tocsin.escalate.page.Page;
import io.tocsin.escalate.page.PageJson;
import io.tocsin.sink.AvroKafkaRecords;
import io.tocsin.sink.ClickHouseSink;
import io.tocsin.sink.PublishDelay;
import io.tocsin.sink.ServiceCatalogSink;
import io.tocsin.sink.Tables;
import io.tocsin.status.StatusUpdate;
import io.tocsin.status.StatusUpdateJson;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Live outputs: the incident-events, pages, status-updates and dead-letters Kafka topics and the
 * ClickHouse tables (batched, replay-safe through ReplacingMergeTree keys). ClickHouse is optional:
 * without settings only Kafka is written.
 *
 * <p>Kafka delivery is {@link Delivery#AT_LEAST_ONCE} by default: every record is sent as soon as
 * it is made (idempotent producer, acks=all, flushed on every checkpoint), so a page reaches its
 * consumer in milliseconds; after a crash the records made since the last checkpoint are sent
 * again, with the same keys (pages: the Events v2 {@code dedup_key}, the incident id; events:
 * {@code (incidentId, seq)}), which is what consumers deduplicate on. {@link Delivery#EXACTLY_ONCE}
 * writes in Kafka transactions committed with each checkpoint, for consumers that read committed
 * and accept the checkpoint interval as latency.
 */
public final class LiveSinks implements Sinks {

    /** How the Kafka outputs are delivered. */
    public enum Delivery {
        /** Sent at once; a restart re-sends the last checkpoint interval's records, same keys. */
        AT_LEAST_ONCE,
        /** Transactions committed per checkpoint; consumers must read committed. */
        EXACTLY_ONCE
    }

    private final String bootstrapServers;
    private final String transactionalPrefix;
    private final ClickHouseSettings clickHouse;
    private final String domainLabel;
    private Delivery delivery = Delivery.AT_LEAST_ONCE;
    private String topicPrefix = "";
    private KafkaClientSecurity security = KafkaClientSecurity.PLAINTEXT;

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

    /** Sinks on {@code kafka}, with its security settings. */
    public LiveSinks(
            KafkaEndpoint kafka,
            String transactionalPrefix,
            ClickHouseSettings clickHouse,
            String domainLabel) {
        this(kafka.bootstrapServers(), transactionalPrefix, clickHouse, domainLabel);
        this.security = kafka.security();
    }

    public LiveSinks withDelivery(Delivery delivery) {
        this.delivery = delivery;
        return this;
    }

    /** Connects with these SASL / TLS settings (plaintext by default). */
    public LiveSinks withSecurity(KafkaClientSecurity security) {
        this.security = security;
        return this;
    }

    /** Writes the topics of a namespace ({@link Topics#in}). */
    public LiveSinks withTopicPrefix(String prefix) {
        this.topicPrefix = prefix;
        return this;
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(
                        kafka(
                                new AvroKafkaRecords<DeadLetter>(
                                        Topics.DEAD_LETTERS.in(topicPrefix),
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
                                        Topics.INCIDENT_EVENTS.in(topicPrefix),
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
        String pagesTopic = Topics.PAGES.in(topicPrefix);
        pages.sinkTo(
                        kafka(
                                (KafkaRecordSerializationSchema<Page>)
                                        (page, ctx, ts) ->
                                                new ProducerRecord<>(
                                                        pagesTopic,
                                                        null,
                                                        page.eventTime,
                                                        page.dedupKey.getBytes(
                                                                StandardCharsets.UTF_8),
                                                        PageJson.toJson(page)
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        PublishDelay.headers(
                                                                page.eventTime,
                                                                System.currentTimeMillis())),
                                "pages"))
                .name("pages-kafka")
                .uid("pages-kafka");
    }

    /**
     * The status-updates topic: one update JSON per audience, keyed by incident id (an incident's
     * updates stay in order on one partition), delivered like pages; a re-sent copy has the same
     * {@code updateId}, which is what consumers deduplicate on. ClickHouse: {@code status_updates}.
     */
    @Override
    public void statusUpdates(DataStream<StatusUpdate> updates) {
        String topic = Topics.STATUS_UPDATES.in(topicPrefix);
        updates.sinkTo(
                        kafka(
                                (KafkaRecordSerializationSchema<StatusUpdate>)
                                        (u, ctx, ts) ->
                                                new ProducerRecord<>(
                                                        topic,
                                                        null,
                                                        u.eventTime,
                                                        u.incidentId.getBytes(
                                                                StandardCharsets.UTF_8),
                                                        StatusUpdateJson.toJson(u)
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        PublishDelay.headers(
                                                                u.eventTime,
                                                                System.currentTimeMillis())),
                                "status-updates"))
                .name("status-updates-kafka")
                .uid("status-updates-kafka");
        if (clickHouse != null) {
            updates.sinkTo(new ClickHouseSink<>(clickHouse, new Tables.StatusUpdates()))
                    .name("status-updates-clickhouse")
                    .uid("status-updates-clickhouse");
        }
    }

    @Override
    public void changes(DataStream<Change> changes) {
        if (clickHouse != null) {
            changes.sinkTo(new ClickHouseSink<>(clickHouse, new Tables.Changes()))
                    .name("changes-clickhouse")
                    .uid("changes-clickhouse");
        }
    }

    /**
     * The services table's catalog columns: the starting catalog, then each control version (one
     * writer, since each write reads the current rows).
     */
    @Override
    public void catalogs(DataStream<CatalogVersion> versions, Catalog initial) {
        if (clickHouse != null) {
            versions.sinkTo(
                            new ServiceCatalogSink<CatalogVersion>(
                                    clickHouse,
                                    initial,
                                    CatalogVersion::at,
                                    v -> CatalogVersion.catalogOf(v.json())))
                    .name("services-catalog-clickhouse")
                    .uid("services-catalog-clickhouse")
                    .setParallelism(1);
        }
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
        Properties producer = security.properties();
        producer.setProperty("acks", "all");
        producer.setProperty("enable.idempotence", "true");
        // A page is one small record: send it now rather than wait to fill a batch.
        producer.setProperty("linger.ms", "1");
        var builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setRecordSerializer(schema)
                        .setKafkaProducerConfig(producer);
        if (delivery == Delivery.EXACTLY_ONCE) {
            // Below the broker's transaction.max.timeout.ms (15 min by default).
            producer.setProperty("transaction.timeout.ms", "600000");
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(transactionalPrefix + "-" + name);
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        return builder.build();
    }
}
