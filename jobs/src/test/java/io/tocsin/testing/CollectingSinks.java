package io.tocsin.testing;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.avro.Alert;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.escalate.page.Page;
import io.tocsin.pipeline.Sinks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Test output: collects everything in memory, per instance (a static registry keyed by a random id,
 * because the sink is serialized into the MiniCluster and back).
 */
public final class CollectingSinks implements Sinks {

    private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(new Collect<>(id + "/dead")).name("collect-dead-letters");
    }

    @Override
    public void alertTransitions(DataStream<Alert> transitions) {
        transitions.sinkTo(new Collect<>(id + "/transitions")).name("collect-transitions");
    }

    @Override
    public void incidentEvents(DataStream<IncidentEvent> events) {
        events.sinkTo(new Collect<>(id + "/events")).name("collect-events");
    }

    @Override
    public void anomalyScores(DataStream<AnomalyScore> scores) {
        scores.sinkTo(new Collect<>(id + "/scores")).name("collect-scores");
    }

    @Override
    public void pages(DataStream<Page> pages) {
        pages.sinkTo(new Collect<>(id + "/pages")).name("collect-pages");
    }

    public List<Page> pages() {
        return get("/pages");
    }

    public List<AnomalyScore> scores() {
        return get("/scores");
    }

    public List<DeadLetter> deadLetters() {
        return get("/dead");
    }

    public List<Alert> transitions() {
        return get("/transitions");
    }

    public List<IncidentEvent> events() {
        return get("/events");
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> get(String suffix) {
        List<Object> l = RESULTS.getOrDefault(id + suffix, List.of());
        synchronized (l) {
            return (List<T>) new ArrayList<>(l);
        }
    }

    static final class Collect<T> implements Sink<T> {
        private final String key;

        Collect(String key) {
            this.key = key;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            List<Object> target =
                    RESULTS.computeIfAbsent(
                            key, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    target.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
