package io.tocsin.gateway;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.escalate.page.Page;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.Sinks;
import io.tocsin.testing.CollectingSinks;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The live job's Kafka outputs (incident-events, pages, dead-letters topics, exactly once) with the
 * outputs that only go to ClickHouse (transitions, anomaly scores) collected for assertions.
 */
final class KafkaAndCollectingSinks implements Sinks {

    private final LiveSinks kafka;
    private final CollectingSinks collected;

    KafkaAndCollectingSinks(LiveSinks kafka, CollectingSinks collected) {
        this.kafka = kafka;
        this.collected = collected;
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        kafka.deadLetters(deadLetters);
    }

    @Override
    public void alertTransitions(DataStream<Alert> transitions) {
        collected.alertTransitions(transitions);
    }

    @Override
    public void incidentEvents(DataStream<IncidentEvent> events) {
        kafka.incidentEvents(events);
    }

    @Override
    public void pages(DataStream<Page> pages) {
        kafka.pages(pages);
    }

    @Override
    public void anomalyScores(DataStream<AnomalyScore> scores) {
        collected.anomalyScores(scores);
    }
}
