package io.tocsin.bench.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.ingest.Fingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The grouping Alertmanager does, replayed over an alerts file in receivedAt order, as the baseline
 * Tocsin is measured against. Each aggregation group is one incident, and its root cause is the
 * service of the alert that created it.
 *
 * <p>Semantics follow Alertmanager's dispatcher: alerts with equal values of the {@code group_by}
 * labels share a group; a new group flushes first after {@code group_wait} (at once if its first
 * alert started longer ago than that), then every {@code group_interval}; a firing alert without
 * endsAt is resolved {@code resolve_timeout} after its last notification; each flush sends the
 * group's alerts and then deletes the resolved ones, and a group left empty is destroyed, so a
 * later alert with the same labels starts a new group (a new incident). An alert that fires again
 * while still in its group stays there. An episode becomes visible at the first flush after it
 * joined its group.
 */
public final class AlertmanagerBaseline {

    /**
     * Alertmanager route options that shape grouping.
     *
     * @param groupBy labels whose values make the group
     * @param groupWait wait before a new group's first notification
     * @param groupInterval wait between a group's notifications
     * @param resolveTimeout after which a firing alert that is no longer sent counts as resolved
     */
    public record Options(
            List<String> groupBy,
            Duration groupWait,
            Duration groupInterval,
            Duration resolveTimeout) {
        public Options {
            groupBy = List.copyOf(groupBy);
        }

        /** Alertmanager's defaults (30 s, 5 m, 5 m) with these group_by labels. */
        public static Options groupBy(List<String> labels) {
            return new Options(
                    labels, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5));
        }

        /** The method name shown in results, e.g. {@code am[cluster,alertname]}. */
        public String name() {
            return "am[" + String.join(",", groupBy) + "]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<EpisodeKey, Assignment.Placement> placements = new HashMap<>();
    private final Map<String, String> rootCauses = new TreeMap<>();
    private int created;

    private AlertmanagerBaseline(Options options) {
        this.options = options;
    }

    /** Groups the notifications of an alerts file (its lines, sorted by receivedAt). */
    public static Assignment group(List<String> alertLines, Options options) {
        AlertmanagerBaseline am = new AlertmanagerBaseline(options);
        for (String line : alertLines) {
            if (!line.isBlank()) {
                am.receive(Notification.parse(line));
            }
        }
        am.drain();
        return new Assignment(
                options.name(), am.placements, am.rootCauses, am.created, Set.of(), 0);
    }

    /** One notification, as Alertmanager's API would see it. */
    record Notification(
            Map<String, String> labels,
            String fingerprint,
            Instant startsAt,
            Instant endsAt,
            boolean firing,
            Instant receivedAt) {

        static Notification parse(String line) {
            try {
                JsonNode n = JSON.readTree(line);
                Map<String, String> labels = new TreeMap<>();
                n.path("labels")
                        .fields()
                        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                boolean firing = !"resolved".equals(n.path("status").asText("firing"));
                Instant startsAt = Instant.parse(n.path("startsAt").asText());
                Instant endsAt = time(n.get("endsAt"));
                Instant receivedAt = time(n.get("receivedAt"));
                if (receivedAt == null) {
                    receivedAt = firing || endsAt == null ? startsAt : endsAt;
                }
                String fp =
                        n.hasNonNull("fingerprint")
                                ? n.get("fingerprint").asText()
                                : Fingerprint.of(labels);
                return new Notification(labels, fp, startsAt, endsAt, firing, receivedAt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Instant time(JsonNode v) {
            if (v == null || v.isNull() || v.asText().isEmpty() || v.asText().startsWith("0001-")) {
                return null;
            }
            return Instant.parse(v.asText());
        }
    }

    /** One alert in a group's store. */
    private static final class StoredAlert {
        Instant startsAt;
        Instant endsAt;
        EpisodeKey episode;
    }

    private static final class Group {
        final String id;
        final Map<String, StoredAlert> alerts = new LinkedHashMap<>();

        /** Episodes that joined since the last flush: they become visible at the next one. */
        final List<EpisodeKey> unseen = new ArrayList<>();

        Instant nextFlush;

        Group(String id, Instant nextFlush) {
            this.id = id;
            this.nextFlush = nextFlush;
        }
    }

    private void receive(Notification n) {
        flushUntil(n.receivedAt());
        String key = groupKey(n.labels());
        Group g = groups.get(key);
        if (g == null) {
            if (!n.firing()) {
                return; // a resolve for an alert no group holds: nothing to notify
            }
            created++;
            Instant first = n.receivedAt().plus(options.groupWait());
            if (n.startsAt().plus(options.groupWait()).isBefore(n.receivedAt())) {
                first = n.receivedAt(); // old enough for an immediate flush
            }
            g = new Group(options.name() + "#" + created, first);
            groups.put(key, g);
            rootCauses.put(g.id, n.labels().get("service"));
        }
        StoredAlert a = g.alerts.get(n.fingerprint());
        if (n.firing()) {
            Instant ends =
                    n.endsAt() != null && n.endsAt().isAfter(n.receivedAt())
                            ? n.endsAt()
                            : n.receivedAt().plus(options.resolveTimeout());
            if (a == null || !a.startsAt.equals(n.startsAt())) {
                if (a == null) {
                    a = new StoredAlert();
                    g.alerts.put(n.fingerprint(), a);
                }
                a.startsAt = n.startsAt();
                a.episode = new EpisodeKey(n.fingerprint(), n.startsAt());
                if (!placements.containsKey(a.episode)) {
                    placements.put(a.episode, new Assignment.Placement(g.id, null));
                    g.unseen.add(a.episode);
                }
            }
            a.endsAt = ends;
        } else if (a != null && a.startsAt.equals(n.startsAt())) {
            a.endsAt = n.endsAt() != null ? n.endsAt() : n.receivedAt();
        }
    }

    /** Runs every flush due at or before {@code t}, in time order. */
    private void flushUntil(Instant t) {
        while (true) {
            Group next = null;
            for (Group g : groups.values()) {
                if (!g.nextFlush.isAfter(t)
                        && (next == null || g.nextFlush.isBefore(next.nextFlush))) {
                    next = g;
                }
            }
            if (next == null) {
                return;
            }
            flush(next);
        }
    }

    private void flush(Group g) {
        Instant now = g.nextFlush;
        for (EpisodeKey e : g.unseen) {
            placements.put(e, new Assignment.Placement(g.id, now));
        }
        g.unseen.clear();
        g.alerts.values().removeIf(a -> !a.endsAt.isAfter(now));
        g.nextFlush = now.plus(options.groupInterval());
        if (g.alerts.isEmpty()) {
            groups.values().remove(g);
        }
    }

    /** After the last notification: flush until every group is gone (every alert ends). */
    private void drain() {
        while (!groups.isEmpty()) {
            Group next = null;
            for (Group g : groups.values()) {
                if (next == null || g.nextFlush.isBefore(next.nextFlush)) {
                    next = g;
                }
            }
            flush(next);
        }
    }

    private String groupKey(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        for (String l : options.groupBy()) {
            b.append(l).append('=').append(labels.getOrDefault(l, "")).append('\u0000');
        }
        return b.toString();
    }
}
