package io.tocsin.bench.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads Tocsin's {@code incident-events.jsonl} (a backtest's output) into an {@link Assignment}.
 *
 * <p>An episode (fingerprint, startsAt) belongs to the incident of the first OPENED, ALERT_ADDED or
 * REOPENED event carrying its fingerprint at or after {@code startsAt - slack} and before the next
 * episode of the same fingerprint starts (less the slack). When there is no such event but the
 * fingerprint's last event before the episode added it to an incident (it was never resolved
 * there), the episode counts as covered by that incident: dedupe holds back the changes of a
 * flapping alert, which stays a firing member. Otherwise the episode is lost. Incident ids are
 * followed through MERGED events ({@code mergedInto}) to the final survivor; an incident's root
 * cause is the last non-null {@code rootCauseService} that survivor reported; an episode whose
 * window holds events of two different survivors is a duplicate.
 */
public final class IncidentEventsReader {

    /** Tolerance for an event stamped a little before the episode's startsAt. */
    public static final Duration DEFAULT_SLACK = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ADDS = Set.of("OPENED", "ALERT_ADDED", "REOPENED");

    private IncidentEventsReader() {}

    /** One event as the scorer needs it. */
    record Event(
            Instant time,
            String incidentId,
            String type,
            String fingerprint,
            String rootCauseService,
            String mergedInto) {}

    public static Assignment read(Path file, Collection<EpisodeKey> episodes) {
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    events.add(parse(line, file + ":" + n));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return assign("tocsin", events, episodes, DEFAULT_SLACK);
    }

    static Event parse(String line, String where) {
        try {
            JsonNode n = JSON.readTree(line);
            return new Event(
                    Instant.parse(n.path("eventTime").asText()),
                    n.path("incidentId").asText(),
                    n.path("type").asText(),
                    text(n, "fingerprint"),
                    text(n, "rootCauseService"),
                    text(n, "mergedInto"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + ": not an incident event: " + e, e);
        }
    }

    /** The assignment for {@code events} in file order (event time, then incident, then seq). */
    static Assignment assign(
            String method, List<Event> events, Collection<EpisodeKey> episodes, Duration slack) {
        Map<String, String> mergedInto = new HashMap<>();
        Map<String, String> lastRootCause = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        Map<String, List<Event>> byFingerprint = new HashMap<>();
        for (Event e : events) {
            ids.add(e.incidentId());
            if ("MERGED".equals(e.type()) && e.mergedInto() != null) {
                mergedInto.put(e.incidentId(), e.mergedInto());
                ids.add(e.mergedInto());
            }
            if (e.rootCauseService() != null) {
                lastRootCause.put(e.incidentId(), e.rootCauseService());
            }
            if (e.fingerprint() != null
                    && (ADDS.contains(e.type()) || "ALERT_RESOLVED".equals(e.type()))) {
                byFingerprint.computeIfAbsent(e.fingerprint(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, String> survivor = new HashMap<>();
        Set<String> finals = new LinkedHashSet<>();
        for (String id : ids) {
            String s = survivorOf(id, mergedInto);
            survivor.put(id, s);
            finals.add(s);
        }
        Map<String, String> rootCauses = new TreeMap<>();
        for (String s : finals) {
            rootCauses.put(s, lastRootCause.get(s));
        }

        Map<String, List<EpisodeKey>> episodesByFingerprint = new TreeMap<>();
        for (EpisodeKey k : episodes) {
            episodesByFingerprint.computeIfAbsent(k.fingerprint(), x -> new ArrayList<>()).add(k);
        }
        Map<EpisodeKey, Assignment.Placement> placements = new LinkedHashMap<>();
        Set<EpisodeKey> duplicates = new HashSet<>();
        int covered = 0;
        long slackMs = slack.toMillis();
        for (Map.Entry<String, List<EpisodeKey>> en : episodesByFingerprint.entrySet()) {
            List<EpisodeKey> eps = en.getValue();
            eps.sort(null);
            List<Event> evs = byFingerprint.getOrDefault(en.getKey(), List.of());
            for (int i = 0; i < eps.size(); i++) {
                long from = eps.get(i).startsAt().toEpochMilli() - slackMs;
                long to =
                        i + 1 < eps.size()
                                ? eps.get(i + 1).startsAt().toEpochMilli() - slackMs
                                : Long.MAX_VALUE;
                Event first = null;
                Set<String> reached = new HashSet<>();
                Event before = null;
                for (Event e : evs) {
                    long t = e.time().toEpochMilli();
                    if (t < from) {
                        before = e;
                    } else if (t < to && ADDS.contains(e.type())) {
                        first = first == null ? e : first;
                        reached.add(survivor.get(e.incidentId()));
                    }
                }
                if (first != null) {
                    placements.put(
                            eps.get(i),
                            new Assignment.Placement(
                                    survivor.get(first.incidentId()), first.time()));
                    if (reached.size() > 1) {
                        duplicates.add(eps.get(i));
                    }
                } else if (before != null && ADDS.contains(before.type())) {
                    covered++;
                    placements.put(
                            eps.get(i),
                            new Assignment.Placement(
                                    survivor.get(before.incidentId()), eps.get(i).startsAt()));
                }
            }
        }
        return new Assignment(method, placements, rootCauses, finals.size(), duplicates, covered);
    }

    private static String survivorOf(String id, Map<String, String> mergedInto) {
        String s = id;
        Set<String> seen = new HashSet<>();
        while (mergedInto.containsKey(s) && seen.add(s)) {
            s = mergedInto.get(s);
        }
        return s;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
