package io.tocsin.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Tocsin's incident events map alert episodes to incidents: merges, flapping, loss. */
class IncidentEventsReaderTest {

    static final String T = "2026-11-02T10:";

    // Episodes: a db alert, b and c on callers, f flapping three times, d added twice, x never
    // seen, y seen once and then again after its incident resolved it.
    static final List<EpisodeKey> EPISODES =
            List.of(
                    key("a", "00:00"),
                    key("b", "01:00"),
                    key("c", "02:00"),
                    key("f", "00:00"),
                    key("f", "01:30"),
                    key("f", "03:00"),
                    key("d", "04:00"),
                    key("x", "05:00"),
                    key("y", "00:00"),
                    key("y", "10:00"));

    static final List<String> EVENTS =
            List.of(
                    event("00:00.500", "INC-1", "OPENED", "a", "db", null),
                    event("00:00.700", "INC-3", "OPENED", "f", "cache", null),
                    event("00:01.000", "INC-4", "OPENED", "y", "queue", null),
                    event("01:00.500", "INC-2", "OPENED", "b", "api", null),
                    event("01:20.000", "INC-3", "ALERT_RESOLVED", "f", "cache", null),
                    event("01:30.400", "INC-3", "ALERT_ADDED", "f", "cache", null),
                    event("02:00.500", "INC-1", "ALERT_ADDED", "c", "db", null),
                    // b's incident merges into a's; the survivor then changes its mind.
                    event("02:10.000", "INC-2", "MERGED", "c", "api", "INC-1"),
                    event("02:10.000", "INC-1", "ROOT_CAUSE_CHANGED", null, "svc", null),
                    // f's third episode has no event: dedupe held it back as flapping.
                    event("04:00.500", "INC-1", "ALERT_ADDED", "d", "svc", null),
                    event("04:00.800", "INC-3", "ALERT_ADDED", "d", "cache", null),
                    event("05:00.000", "INC-4", "ALERT_RESOLVED", "y", "queue", null),
                    event("06:00.000", "INC-4", "RESOLVED", null, "queue", null));

    @TempDir Path dir;

    @Test
    void episodesFollowMergesToTheSurvivor() throws IOException {
        Assignment a = read();
        assertThat(a.placements().get(key("a", "00:00")).incidentId()).isEqualTo("INC-1");
        assertThat(a.placements().get(key("b", "01:00")).incidentId()).isEqualTo("INC-1");
        assertThat(a.placements().get(key("b", "01:00")).visibleAt())
                .isEqualTo(Instant.parse(T + "01:00.500Z"));
        assertThat(a.placements().get(key("c", "02:00")).incidentId()).isEqualTo("INC-1");
        assertThat(a.incidents()).isEqualTo(3); // INC-1 (with INC-2), INC-3, INC-4
    }

    @Test
    void rootCauseIsTheLastOneTheSurvivorReported() throws IOException {
        Assignment a = read();
        assertThat(a.rootCauses()).containsEntry("INC-1", "svc").containsEntry("INC-3", "cache");
        assertThat(a.rootCauses()).doesNotContainKey("INC-2");
    }

    @Test
    void eachEpisodeTakesTheFirstEventInItsOwnWindow() throws IOException {
        Assignment a = read();
        assertThat(a.placements().get(key("f", "00:00")).visibleAt())
                .isEqualTo(Instant.parse(T + "00:00.700Z"));
        assertThat(a.placements().get(key("f", "01:30")).visibleAt())
                .isEqualTo(Instant.parse(T + "01:30.400Z"));
    }

    @Test
    void aHeldFlappingEpisodeIsCoveredByTheIncidentItStillFiresIn() throws IOException {
        Assignment a = read();
        Assignment.Placement p = a.placements().get(key("f", "03:00"));
        assertThat(p.incidentId()).isEqualTo("INC-3");
        assertThat(p.visibleAt()).isEqualTo(Instant.parse(T + "03:00Z"));
        assertThat(a.covered()).isEqualTo(1);
    }

    @Test
    void anEpisodeInTwoSurvivorsIsADuplicateAndKeepsTheFirst() throws IOException {
        Assignment a = read();
        assertThat(a.duplicates()).containsExactly(key("d", "04:00"));
        assertThat(a.placements().get(key("d", "04:00")).incidentId()).isEqualTo("INC-1");
    }

    @Test
    void anEpisodeWithoutEventsIsLostEvenAfterAResolvedOne() throws IOException {
        Assignment a = read();
        assertThat(a.placements()).doesNotContainKey(key("x", "05:00"));
        assertThat(a.placements()).containsKey(key("y", "00:00"));
        assertThat(a.placements()).doesNotContainKey(key("y", "10:00"));
        assertThat(a.placements()).hasSize(EPISODES.size() - 2);
    }

    private Assignment read() throws IOException {
        Path file = dir.resolve("incident-events.jsonl");
        Files.write(file, new ArrayList<>(EVENTS));
        return IncidentEventsReader.read(file, EPISODES);
    }

    static EpisodeKey key(String fingerprint, String time) {
        return new EpisodeKey(fingerprint, Instant.parse(T + time + "Z"));
    }

    /** An event line as the backtest writes it (the fields the reader uses, plus a few). */
    static String event(
            String time,
            String incident,
            String type,
            String fingerprint,
            String rootCause,
            String mergedInto) {
        return String.format(
                "{\"eventId\":\"%s/1\",\"incidentId\":\"%s\",\"seq\":1,\"type\":\"%s\","
                        + "\"eventTime\":\"%s%sZ\",\"severity\":\"SEV2\",\"services\":[],"
                        + "\"fingerprint\":%s,\"rootCauseService\":%s,\"mergedInto\":%s}",
                incident,
                incident,
                type,
                T,
                time,
                quoted(fingerprint),
                quoted(rootCause),
                quoted(mergedInto));
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
