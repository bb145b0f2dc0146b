package io.tocsin.bench.correlation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What really happened in a generated scenario: every fault (its kind, cluster, true root-cause
 * service and first alert) and every alert episode with the fault it belongs to. Written next to
 * the alerts file as {@code truth.json}; the scorer compares a method's incidents against it.
 *
 * @param generator what produced the scenario and with which settings
 * @param seed the generator seed
 * @param services services in the topology
 * @param clusters the correlation domains (label {@code cluster})
 * @param start scenario start (no alert starts earlier)
 * @param end last notification's receivedAt
 * @param notifications lines in the alerts file
 * @param faults every fault; an isolated noise alert is a fault of its own
 * @param episodes every alert episode, sorted by startsAt then fingerprint
 * @param scoredFrom episodes starting before this are history (for learning), not scored; null when
 *     every episode is scored
 */
public record GroundTruth(
        String generator,
        long seed,
        int services,
        List<String> clusters,
        Instant start,
        Instant end,
        int notifications,
        List<Fault> faults,
        List<Episode> episodes,
        Instant scoredFrom) {

    /** Fault kinds. */
    public static final String CASCADE = "cascade";

    public static final String NOISE = "noise";
    public static final String FLAPPING = "flapping";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One fault.
     *
     * @param id fault id, e.g. {@code f007}
     * @param kind {@link #CASCADE}, {@link #NOISE} or {@link #FLAPPING}
     * @param cluster the cluster it happened in
     * @param rootCauseService the service that failed first
     * @param firstStartsAt earliest startsAt of its episodes
     * @param firstAlertAt earliest receivedAt of its notifications: when a receiver could first
     *     know
     * @param services services that alerted, sorted
     * @param episodes number of its episodes
     */
    public record Fault(
            String id,
            String kind,
            String cluster,
            String rootCauseService,
            Instant firstStartsAt,
            Instant firstAlertAt,
            List<String> services,
            int episodes) {
        public Fault {
            services = List.copyOf(services);
        }
    }

    /**
     * One alert episode.
     *
     * @param fingerprint FNV-1a fingerprint of the labels ({@code io.tocsin.ingest.Fingerprint})
     * @param startsAt start of this firing period
     * @param endsAt end of this firing period (its resolved notification's endsAt)
     * @param firstReceivedAt receivedAt of its first firing notification
     * @param fault id of the fault it belongs to
     * @param cluster its cluster label
     * @param service its service label
     * @param alertname its alertname label
     */
    public record Episode(
            String fingerprint,
            Instant startsAt,
            Instant endsAt,
            Instant firstReceivedAt,
            String fault,
            String cluster,
            String service,
            String alertname) {
        public EpisodeKey key() {
            return new EpisodeKey(fingerprint, startsAt);
        }
    }

    public GroundTruth {
        clusters = List.copyOf(clusters);
        faults = List.copyOf(faults);
        episodes = List.copyOf(episodes);
    }

    /**
     * The part that is scored: episodes from {@link #scoredFrom} on, and the faults that have one
     * of them (a fault's episodes before it are history and left out).
     */
    public GroundTruth scored() {
        if (scoredFrom == null) {
            return this;
        }
        List<Episode> eps = new ArrayList<>();
        Map<String, Integer> perFault = new LinkedHashMap<>();
        for (Episode e : episodes) {
            if (!e.startsAt().isBefore(scoredFrom)) {
                eps.add(e);
                perFault.merge(e.fault(), 1, Integer::sum);
            }
        }
        List<Fault> fs = new ArrayList<>();
        for (Fault f : faults) {
            if (perFault.containsKey(f.id())) {
                fs.add(f);
            }
        }
        return new GroundTruth(
                generator, seed, services, clusters, start, end, notifications, fs, eps, null);
    }

    /** Faults by id, in id order. */
    public Map<String, Fault> faultsById() {
        Map<String, Fault> byId = new LinkedHashMap<>();
        for (Fault f : faults) {
            byId.put(f.id(), f);
        }
        return byId;
    }

    public void write(Path file) {
        try {
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static GroundTruth read(Path file) {
        try {
            return JSON.readValue(file.toFile(), GroundTruth.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
