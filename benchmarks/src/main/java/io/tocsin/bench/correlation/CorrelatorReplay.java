package io.tocsin.bench.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Topology;
import io.tocsin.correlate.CorrelationKey;
import io.tocsin.correlate.Correlator;
import io.tocsin.correlate.DependencyLinks;
import io.tocsin.correlate.IncidentState;
import io.tocsin.correlate.IncidentStore;
import io.tocsin.correlate.LinkMemory;
import io.tocsin.correlate.TopologyIndex;
import io.tocsin.sink.AvroJson;
import io.tocsin.time.AlertOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * For tuning only: replays a backtest's alert transitions ({@code alert-transitions.jsonl}, which
 * do not depend on the correlation policy) through the {@link Correlator} in this thread, in the
 * order the correlate stage uses (event time, then content), with the same timers; writes the
 * incident events as the backtest would. Much faster than a backtest per policy, and close to it
 * (it does not see mesh calls from telemetry, and takes receivedAt as each transition's time);
 * reported figures come from the real backtest.
 */
final class CorrelatorReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CorrelatorReplay() {}

    static void run(Path transitions, Topology topology, CorrelationPolicy policy, Path eventsOut)
            throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(transitions, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                alerts.add(alert(JSON.readTree(line)));
            }
        }
        alerts.sort(
                java.util.Comparator.comparingLong((Alert a) -> a.getReceivedAt().toEpochMilli())
                        .thenComparing(AlertOrder.INSTANCE));
        Correlator correlator = new Correlator(policy);
        TopologyIndex index = new TopologyIndex(topology);
        Map<String, Store> stores = new TreeMap<>();
        Map<String, LinkMemory> memories = new HashMap<>();
        Map<String, TreeSet<Long>> timers = new TreeMap<>();
        List<IncidentEvent> out = new ArrayList<>();
        Iterator<Alert> it = alerts.iterator();
        Alert next = it.hasNext() ? it.next() : null;
        while (true) {
            long nextTimer = Long.MAX_VALUE;
            for (TreeSet<Long> ts : timers.values()) {
                if (!ts.isEmpty()) {
                    nextTimer = Math.min(nextTimer, ts.first());
                }
            }
            long nextAlert = next == null ? Long.MAX_VALUE : next.getReceivedAt().toEpochMilli();
            if (nextTimer == Long.MAX_VALUE && nextAlert == Long.MAX_VALUE) {
                break;
            }
            long t = Math.min(nextTimer, nextAlert);
            while (next != null && next.getReceivedAt().toEpochMilli() == t) {
                Alert a = next;
                next = it.hasNext() ? it.next() : null;
                String key = CorrelationKey.of(a, policy.partitionLabel(), policy.defaultDomain());
                Store store = stores.computeIfAbsent(key, k -> new Store());
                TreeSet<Long> ts = timers.computeIfAbsent(key, k -> new TreeSet<>());
                correlator.onAlert(
                        store,
                        new DependencyLinks(
                                index,
                                Map.of(),
                                memories.computeIfAbsent(key, k -> new LinkMemory())),
                        a,
                        t,
                        ts::add,
                        out);
            }
            for (Map.Entry<String, TreeSet<Long>> e : timers.entrySet()) {
                if (!e.getValue().isEmpty() && e.getValue().first() <= t) {
                    while (!e.getValue().isEmpty() && e.getValue().first() <= t) {
                        e.getValue().pollFirst();
                    }
                    try {
                        correlator.onTime(stores.get(e.getKey()), t, e.getValue()::add, out);
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (IncidentEvent e : out) {
            lines.add(AvroJson.toJson(e));
        }
        Files.createDirectories(eventsOut.getParent());
        Files.write(eventsOut, lines, StandardCharsets.UTF_8);
    }

    private static Alert alert(JsonNode n) {
        Map<String, String> labels = new TreeMap<>();
        n.path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Alert.Builder b =
                Alert.newBuilder()
                        .setSource(n.path("source").asText())
                        .setFingerprint(n.path("fingerprint").asText())
                        .setStatus(AlertStatus.valueOf(n.path("status").asText()))
                        .setLabels(new HashMap<>(labels))
                        .setAnnotations(new HashMap<>())
                        .setStartsAt(Instant.parse(n.path("startsAt").asText()))
                        .setReceivedAt(Instant.parse(n.path("receivedAt").asText()))
                        .setSeverity(Severity.valueOf(n.path("severity").asText()))
                        .setService(n.path("service").isNull() ? null : n.path("service").asText())
                        .setSuppressed(n.path("suppressed").asBoolean())
                        .setFlapping(n.path("flapping").asBoolean());
        if (!n.path("endsAt").isNull() && !n.path("endsAt").isMissingNode()) {
            b.setEndsAt(Instant.parse(n.path("endsAt").asText()));
        }
        return b.build();
    }

    /** The incidents of one partition, in memory. */
    private static final class Store implements IncidentStore {
        final Map<String, IncidentState> open = new TreeMap<>();
        final Map<String, IncidentState> resolved = new TreeMap<>();
        final Map<String, String> byFingerprint = new HashMap<>();

        @Override
        public Collection<IncidentState> open() {
            return new ArrayList<>(open.values());
        }

        @Override
        public IncidentState resolvedWith(String fingerprint) {
            String id = byFingerprint.get(fingerprint);
            return id == null ? null : resolved.get(id);
        }

        @Override
        public void save(IncidentState s) {
            if (s.isOpen()) {
                resolved.remove(s.incidentId);
                open.put(s.incidentId, s);
            } else {
                open.remove(s.incidentId);
                resolved.put(s.incidentId, s);
                s.members.forEach(m -> byFingerprint.put(m.fingerprint, s.incidentId));
            }
        }

        @Override
        public void delete(IncidentState s) {
            open.remove(s.incidentId);
            resolved.remove(s.incidentId);
            byFingerprint.values().removeIf(s.incidentId::equals);
        }

        @Override
        public void evictResolvedBefore(long before) {
            List<IncidentState> old = new ArrayList<>();
            for (IncidentState s : resolved.values()) {
                if (s.resolvedAtMillis <= before) {
                    old.add(s);
                }
            }
            old.forEach(this::delete);
        }
    }
}
