package io.tocsin.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.config.LabelMatcher;
import io.tocsin.time.Rfc3339;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences as the control topic says they are, rebuilt by reading the topic from its start, so
 * a restarted gateway answers {@code GET /api/v2/silences} exactly as before. Only the topic's
 * reader writes here; the API answers once its own write has been read back (read-your-writes).
 *
 * <p>Bounded: a silence is dropped {@code retention} after it ended (Alertmanager keeps expired
 * silences 5 days by default), and the API creates at most {@code maxSilences} live ones (about 1
 * KiB each: 10,000 silences are about 10 MiB).
 */
public final class SilenceStore {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration retention;
    private final int maxSilences;
    private final Map<String, StoredSilence> silences = new LinkedHashMap<>();
    private final Map<Integer, Long> applied = new java.util.HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    public SilenceStore(Duration retention, int maxSilences) {
        this.retention = retention;
        this.maxSilences = maxSilences;
    }

    /**
     * Applies one control-topic record. Upserts and deletes of silences change the store; other
     * control messages (maintenance windows, topology, ...) are not silences and are skipped, as
     * are records the job would dead-letter.
     */
    public synchronized void apply(int partition, long offset, String text, Instant recordTime) {
        try {
            JsonNode m = JSON.readTree(text);
            if (m != null && m.isObject()) {
                String op = m.path("op").asText("");
                Instant at = time(m.path("at"), recordTime);
                if (op.equals("upsert") && m.path("silence").isObject()) {
                    upsert(m.get("silence"), at);
                } else if (op.equals("delete") && m.path("kind").asText("").equals("silence")) {
                    StoredSilence s = silences.get(m.path("id").asText(""));
                    if (s != null && s.expiredAt() == null) {
                        silences.put(s.id(), s.expire(at));
                    }
                }
                evict(at);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug(
                    "control record at offset {} is not a silence change: {}",
                    offset,
                    e.toString());
        }
        applied.merge(partition, offset, Math::max);
        waiters.removeIf(
                w -> {
                    if (w.partition() == partition && w.offset() <= offset) {
                        w.done().complete(null);
                        return true;
                    }
                    return w.done().isDone(); // timed out meanwhile
                });
    }

    private void upsert(JsonNode s, Instant at) {
        List<LabelMatcher> matchers = new ArrayList<>();
        for (JsonNode m : s.path("matchers")) {
            matchers.add(LabelMatcher.parse(m.asText()));
        }
        Instant start = Rfc3339.parseOrZero(s.path("startsAt").asText());
        Instant end = Rfc3339.parseOrZero(s.path("endsAt").asText());
        String id = s.path("id").asText();
        if (start == null || end == null || id.isEmpty() || matchers.isEmpty()) {
            return;
        }
        silences.remove(id); // re-insert so iteration order is update order
        silences.put(
                id,
                new StoredSilence(
                        id,
                        matchers,
                        start,
                        end,
                        s.path("createdBy").asText(""),
                        s.path("comment").asText(""),
                        at,
                        null));
    }

    private void evict(Instant now) {
        silences.values().removeIf(s -> s.effectiveEnd().plus(retention).isBefore(now));
    }

    /** Whether one more live silence may be created (the API refuses beyond the bound). */
    public synchronized boolean hasRoom(Instant now) {
        return silences.values().stream().filter(s -> !s.state(now).equals("expired")).count()
                < maxSilences;
    }

    private static Instant time(JsonNode at, Instant fallback) {
        if (at.isTextual()) {
            Instant t = Rfc3339.parseOrZero(at.asText());
            if (t != null) {
                return t;
            }
        }
        return fallback;
    }

    /**
     * Completes once the record at {@code offset} of {@code partition} has been applied (at once
     * when it already was); never blocks the caller, which may be Kafka's network thread.
     */
    public synchronized CompletableFuture<Void> whenApplied(int partition, long offset) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (applied.getOrDefault(partition, -1L) >= offset) {
            f.complete(null);
        } else {
            waiters.add(new Waiter(partition, offset, f));
        }
        return f;
    }

    private record Waiter(int partition, long offset, CompletableFuture<Void> done) {}

    public synchronized StoredSilence get(String id) {
        return silences.get(id);
    }

    public synchronized List<StoredSilence> all() {
        return new ArrayList<>(silences.values());
    }

    /** Number of silences in {@code state} at {@code now}. */
    public synchronized long count(String state, Instant now) {
        return silences.values().stream().filter(s -> s.state(now).equals(state)).count();
    }

    public synchronized int size() {
        return silences.size();
    }
}
