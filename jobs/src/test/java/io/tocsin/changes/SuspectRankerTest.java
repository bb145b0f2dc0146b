package io.tocsin.changes;

import static io.tocsin.changes.Changes.at;
import static io.tocsin.changes.Changes.change;
import static io.tocsin.changes.Changes.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Change;
import io.tocsin.config.ChangesPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuspectRankerTest {

    /** 2 h window, 2 hops, 3 suspects, kept a day. */
    private final SuspectRanker ranker = new SuspectRanker(ChangesPolicy.defaults());

    private List<String> rank(List<String> services, int firstAlertMinute, Change... changes) {
        return rank(ranker, services, firstAlertMinute, changes);
    }

    private static List<String> rank(
            SuspectRanker r, List<String> services, int firstAlertMinute, Change... changes) {
        return r
                .rank(
                        services,
                        at(firstAlertMinute),
                        at(firstAlertMinute + 1),
                        List.of(changes),
                        topology())
                .stream()
                .map(s -> s.change().getChangeId() + "@" + s.hops())
                .toList();
    }

    @Test
    void aChangeOnAMemberServiceBeatsAMoreRecentOneOnADependency() {
        assertThat(rank(List.of("api"), 0, change("db-1", "db", -2), change("api-1", "api", -50)))
                .containsExactly("api-1@0", "db-1@1");
    }

    @Test
    void fewerHopsBeatMoreHopsAndRecencyOrdersEqualHops() {
        assertThat(
                        rank(
                                List.of("web"),
                                0,
                                change("db-old", "db", -30),
                                change("api-1", "api", -90),
                                change("db-new", "db", -10),
                                change("web-1", "web", -100)))
                .containsExactly("web-1@0", "api-1@1", "db-new@2");
    }

    @Test
    void equalHopsAndTimeAreOrderedByChangeId() {
        assertThat(rank(List.of("api"), 0, change("b", "db", -5), change("a", "cache", -5)))
                .containsExactly("a@1", "b@1");
    }

    @Test
    void theWindowIncludesBothEndsAndNothingOutside() {
        Change atEdge =
                withTime(
                        change("edge-of-window", "api", 0), at(0) - Duration.ofHours(2).toMillis());
        Change justBefore =
                withTime(change("too-old", "api", 0), atEdge.getTime().toEpochMilli() - 1);
        Change atFirstAlert = change("at-first-alert", "api", 0);
        Change justAfter = withTime(change("after", "api", 0), at(0) + 1);
        assertThat(rank(List.of("api"), 0, atEdge, justBefore, atFirstAlert, justAfter))
                .containsExactly("at-first-alert@0", "edge-of-window@0");
    }

    @Test
    void changesBeyondMaxHopsOrOnUnrelatedServicesAreNotSuspects() {
        // edge -> web -> api -> db: db is three hops from edge; index is unrelated to api.
        assertThat(rank(List.of("edge"), 0, change("db-1", "db", -1), change("api-1", "api", -1)))
                .containsExactly("api-1@2");
        assertThat(rank(List.of("api"), 0, change("ix", "index", -1), change("web", "web", -1)))
                .as("a caller (web) is not a dependency of api")
                .isEmpty();
        SuspectRanker zeroHops =
                new SuspectRanker(
                        new ChangesPolicy(Duration.ofHours(2), 0, 3, Duration.ofDays(1), 100));
        assertThat(rank(zeroHops, List.of("api"), 0, change("db-1", "db", -1))).isEmpty();
    }

    @Test
    void aServiceTheTopologyDoesNotKnowStillHasItsOwnChangesAsSuspects() {
        assertThat(rank(List.of("new-svc"), 0, change("n-1", "new-svc", -3)))
                .containsExactly("n-1@0");
    }

    @Test
    void atMostMaxSuspectsAreNamed() {
        assertThat(
                        rank(
                                List.of("api"),
                                0,
                                change("a", "api", -1),
                                change("b", "api", -2),
                                change("c", "db", -1),
                                change("d", "cache", -1)))
                .containsExactly("a@0", "b@0", "c@1");
    }

    @Test
    void aGrowingIncidentGainsTheSuspectsOfItsNewService() {
        Change[] changes = {change("db-1", "db", -20), change("idx-1", "index", -5)};
        assertThat(rank(List.of("db"), 0, changes)).containsExactly("db-1@0");
        assertThat(rank(List.of("db", "search"), 0, changes)).containsExactly("db-1@0", "idx-1@1");
    }

    @Test
    void changesOlderThanKeepForBeforeNowAreIgnored() {
        SuspectRanker r =
                new SuspectRanker(
                        new ChangesPolicy(Duration.ofHours(2), 2, 3, Duration.ofHours(3), 100));
        List<Change> changes = List.of(change("api-1", "api", -60));
        assertThat(r.rank(List.of("api"), at(0), at(110), changes, topology())).hasSize(1);
        assertThat(r.rank(List.of("api"), at(0), at(121), changes, topology())).isEmpty();
    }

    @Test
    void theEvidenceNamesThePathTheMinutesAndWhy() {
        Suspect s =
                ranker.rank(
                                List.of("web"),
                                at(0),
                                at(0),
                                List.of(change("db-1", "db", -7)),
                                topology())
                        .get(0);
        assertThat(s.path()).containsExactly("web", "api", "db");
        assertThat(s.minutesBefore()).isEqualTo(7);
        assertThat(s.why())
                .isEqualTo(
                        "deploy of db: 2 hops down the dependencies of web (web -> api -> db), 7"
                                + " min before the first alert");
        assertThat(SuspectEvidence.of(List.of(s)))
                .containsEntry("suspect.count", "1")
                .containsEntry("suspect.1.changeId", "db-1")
                .containsEntry("suspect.1.service", "db")
                .containsEntry("suspect.1.kind", "DEPLOY")
                .containsEntry("suspect.1.version", "v-db-1")
                .containsEntry("suspect.1.author", "author-db-1")
                .containsEntry("suspect.1.authorTeam", "team-db")
                .containsEntry("suspect.1.link", "https://ci.example/db-1")
                .containsEntry("suspect.1.hops", "2")
                .containsEntry("suspect.1.path", "web>api>db")
                .containsEntry("suspect.1.minutesBefore", "7")
                .containsEntry("suspect.1.time", "2026-11-02T09:53:00Z");
    }

    private static Change withTime(Change c, long t) {
        return Change.newBuilder(c).setTime(Instant.ofEpochMilli(t)).build();
    }
}
