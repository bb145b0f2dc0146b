package io.tocsin.correlate;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.Severity;
import io.tocsin.config.CorrelationPolicy;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The correlation decisions without Flink: an in-memory store, time as a parameter. */
class CorrelatorTest {

    /**
     * edge-lb -> web -> checkout-api -> {payments-svc, users-svc -> users-pg}; search-svc ->
     * search-es (a separate chain).
     */
    static final Topology SHOP =
            TopologyLoader.parse(
                    "shop.json",
                    new ByteArrayInputStream(
                            """
                            {"services":[
                              {"name":"edge-lb","dependsOn":["web"]},
                              {"name":"web","dependsOn":["checkout-api"]},
                              {"name":"checkout-api","dependsOn":["payments-svc","users-svc"]},
                              {"name":"users-svc","dependsOn":["users-pg"]},
                              {"name":"search-svc","dependsOn":["search-es"]}]}
                            """
                                    .getBytes(StandardCharsets.UTF_8)));

    static final CorrelationPolicy POLICY = CorrelationPolicy.defaults();

    final MemoryStore store = new MemoryStore();
    final TreeSet<Long> timers = new TreeSet<>();
    final List<IncidentEvent> events = new ArrayList<>();
    Correlator correlator = new Correlator(POLICY);
    TopologyIndex topology = new TopologyIndex(SHOP);
    Map<String, TreeSet<String>> mesh = new TreeMap<>();
    LinkMemory memory = new LinkMemory();

    static long at(int seconds) {
        return BEGINNING.plusSeconds(seconds).toEpochMilli();
    }

    void fire(String name, String service, int seconds) throws Exception {
        Instant t = Instant.ofEpochMilli(at(seconds));
        send(alert(name, service).firing(t, t).build(), at(seconds));
    }

    void fire(String name, String service, int seconds, Severity severity) throws Exception {
        Instant t = Instant.ofEpochMilli(at(seconds));
        send(alert(name, service).severity(severity).firing(t, t).build(), at(seconds));
    }

    void resolve(String name, String service, int seconds) throws Exception {
        send(alert(name, service).resolved(Instant.ofEpochMilli(at(seconds))).build(), at(seconds));
    }

    void send(Alert a, long t) throws Exception {
        correlator.onAlert(
                store, new DependencyLinks(topology, mesh, memory), a, t, timers::add, events);
    }

    void time(int seconds) throws Exception {
        correlator.onTime(store, at(seconds), timers::add, events);
    }

    /** "TYPE incidentIndex" per event, incidents numbered by first appearance. */
    List<String> story() {
        Map<String, Integer> ids = new TreeMap<>();
        List<String> out = new ArrayList<>();
        for (IncidentEvent e : events) {
            int n = ids.computeIfAbsent(e.getIncidentId(), k -> ids.size() + 1);
            out.add(
                    e.getType()
                            + " #"
                            + n
                            + (e.getMergedInto() != null
                                    ? "->#" + ids.get(e.getMergedInto())
                                    : ""));
        }
        return out;
    }

    @Test
    void aCascadeAlongTheDependencyGraphIsOneIncidentWithTheDatabaseAsRootCause() throws Exception {
        fire("HighErrorRate", "checkout-api", 0); // the symptom is seen first
        fire("HighLatency", "users-svc", 20);
        fire("PostgresTooManyConnections", "users-pg", 40);
        fire("EdgeHigh5xx", "edge-lb", 90); // 2 hops above checkout-api; web has not alerted
        fire("HighErrorRate", "web", 100);
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_ADDED #1",
                        "ROOT_CAUSE_CHANGED #1",
                        "ALERT_ADDED #1",
                        "ROOT_CAUSE_CHANGED #1",
                        "ALERT_ADDED #1",
                        "ALERT_ADDED #1");
        IncidentEvent last = events.get(events.size() - 1);
        assertThat(last.getRootCauseService()).isEqualTo("users-pg");
        assertThat(last.getServices())
                .containsExactly("checkout-api", "edge-lb", "users-pg", "users-svc", "web");
        assertThat(last.getAlertCount()).isEqualTo(5);
        assertThat(events.get(5).getEvidence().get("links"))
                .contains("topology:victim-of:checkout-api:2-hop");
        // web is a victim of checkout-api (1 hop) and of users-svc (2 hops): the nearer link
        assertThat(last.getEvidence().get("links"))
                .contains("topology:victim-of:checkout-api:1-hop");
        IncidentEvent rc = events.get(4);
        assertThat(rc.getEvidence())
                .containsEntry("rootCause.dependentsAlerting", "checkout-api,users-svc")
                .containsKey("rootCause.candidates");
        assertThat(store.open()).hasSize(1);
    }

    @Test
    void anAlertThatIsTheMissingLinkBetweenTwoIncidentsMergesThem() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("EdgeHigh5xx", "edge-lb", 60); // 4 hops above users-pg: a separate incident
        // checkout-api is 2 hops above users-pg (a victim of #1) and 2 hops below edge-lb, and
        // started no later than it within causalitySlack (a cause of #2): it ties them together.
        fire("HighErrorRate", "checkout-api", 90);
        assertThat(story())
                .containsExactly("OPENED #1", "OPENED #2", "MERGED #2->#1", "ALERT_ADDED #1");
        IncidentEvent last = events.get(3);
        assertThat(last.getEvidence())
                .containsEntry("rule", "linked-several:merged")
                .containsEntry(
                        "links",
                        events.get(0).getIncidentId()
                                + ":topology:victim-of:users-pg:2-hop "
                                + events.get(1).getIncidentId()
                                + ":topology:cause-of:edge-lb:2-hop");
        assertThat(last.getRootCauseService()).isEqualTo("users-pg");
        assertThat(last.getServices()).containsExactly("checkout-api", "edge-lb", "users-pg");
        assertThat(store.open()).hasSize(1);
    }

    @Test
    void aVictimJoinsTheIncidentNearestInTheGraphBeforeALargerOne() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("PostgresSlow", "users-pg", 5);
        fire("PostgresConnections", "users-pg", 10); // #1: three alerts, 2 hops below checkout
        fire("PaymentsDown", "payments-svc", 30); // #2: one alert, 1 hop below checkout-api
        fire("HighErrorRate", "checkout-api", 60);
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_ADDED #1",
                        "ALERT_ADDED #1",
                        "OPENED #2",
                        "ALERT_ADDED #2");
        assertThat(events.get(4).getEvidence().get("links"))
                .contains("topology:victim-of:users-pg:2-hop")
                .contains("topology:victim-of:payments-svc:1-hop");
    }

    @Test
    void topologyLinksReachNoFurtherThanTopologyHops() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("HighLatency", "web", 30); // web -> checkout-api -> users-svc -> users-pg: 3 hops
        assertThat(story()).containsExactly("OPENED #1", "OPENED #2");
    }

    @Test
    void unrelatedConcurrentFaultsStayApart() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("DiskWatermark", "search-es", 10);
        fire("SlowQueries", "search-svc", 30);
        fire("HighLatency", "users-svc", 40);
        assertThat(story())
                .containsExactly("OPENED #1", "OPENED #2", "ALERT_ADDED #2", "ALERT_ADDED #1");
        assertThat(events.get(2).getRootCauseService()).isEqualTo("search-es");
    }

    @Test
    void aServiceAlreadyExplainedByItsFailingDependencyDoesNotPullInAnotherFault()
            throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("HighLatency", "users-svc", 20); // victim of users-pg
        fire("HighErrorRate", "checkout-api", 40); // victim of users-svc
        // payments-svc fails on its own; checkout-api calls it, but checkout-api is already
        // explained by users-svc, so payments-svc is not taken as its cause.
        fire("PaymentsDown", "payments-svc", 50);
        assertThat(story())
                .containsExactly("OPENED #1", "ALERT_ADDED #1", "ALERT_ADDED #1", "OPENED #2");
    }

    @Test
    void aVictimOfTwoIncidentsJoinsTheOneWithMoreEvidenceAndMergesNothing() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("HighLatency", "users-svc", 20); // victim of users-pg: #1 has two alerts
        fire("PaymentsDown", "payments-svc", 60); // unrelated to #1: #2
        // checkout-api calls both users-svc (#1) and payments-svc (#2), one hop each: it is
        // explained by either, joins the incident with more alerts, and does not merge them.
        fire("HighErrorRate", "checkout-api", 80);
        // Its next alert is on a service already placed in #1's chain: it stays there, although
        // it is still a victim of #2 as well.
        fire("ErrorBudgetBurn", "checkout-api", 100);
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_ADDED #1",
                        "OPENED #2",
                        "ALERT_ADDED #1",
                        "ALERT_ADDED #1");
        assertThat(events.get(3).getEvidence())
                .containsEntry("rule", "linked-several:chose-one")
                .containsKey("links");
        assertThat(events.get(3).getEvidence().get("links"))
                .contains("topology:victim-of:users-svc:1-hop")
                .contains("topology:victim-of:payments-svc:1-hop");
        assertThat(events.get(4).getEvidence().get("links"))
                .contains("same-service")
                .contains("topology:victim-of:payments-svc:1-hop");
        assertThat(store.open()).hasSize(2);
    }

    @Test
    void amongEquallyLargeIncidentsAVictimJoinsTheFaultThatStartedFirst() throws Exception {
        fire("PaymentsDown", "payments-svc", 0);
        fire("HighLatency", "users-svc", 60);
        fire("HighErrorRate", "checkout-api", 90); // one alert in each: the older fault wins
        assertThat(story()).containsExactly("OPENED #1", "OPENED #2", "ALERT_ADDED #1");
    }

    @Test
    void anIncidentOfOneServiceThatTurnsOutToBeAVictimMergesIntoItsCause() throws Exception {
        fire("SlowQueries", "search-svc", 0);
        // search-es alerts a minute later: too late to be search-svc's cause (causalitySlack)
        fire("DiskWatermark", "search-es", 60);
        // search-svc's next alert is a victim of search-es; its own incident holds only
        // search-svc, so search-es explains it and the two merge.
        fire("HighErrorRate", "search-svc", 90);
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "OPENED #2",
                        "MERGED #2->#1",
                        "ALERT_ADDED #1",
                        "ROOT_CAUSE_CHANGED #1");
        assertThat(events.get(4).getRootCauseService()).isEqualTo("search-es");
        assertThat(store.open()).hasSize(1);
    }

    @Test
    void resolvesAfterTheQuietPeriodAtThatEventTime() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        resolve("PostgresDown", "users-pg", 60);
        assertThat(timers).contains(at(60 + 300));
        time(359);
        assertThat(story()).containsExactly("OPENED #1", "ALERT_RESOLVED #1");
        time(360);
        assertThat(story()).containsExactly("OPENED #1", "ALERT_RESOLVED #1", "RESOLVED #1");
        assertThat(events.get(2).getEventTime()).isEqualTo(Instant.ofEpochMilli(at(360)));
        assertThat(store.open()).isEmpty();
    }

    @Test
    void aMemberFiringAgainWithinTheReopenWindowReopensLaterItRecurs() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        resolve("PostgresDown", "users-pg", 60);
        time(360);
        fire("PostgresDown", "users-pg", 360 + 240); // 4 minutes after RESOLVED: reopen
        resolve("PostgresDown", "users-pg", 1000);
        time(1300);
        fire("PostgresDown", "users-pg", 1300 + 3600); // an hour later: a new, linked incident
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_RESOLVED #1",
                        "RESOLVED #1",
                        "REOPENED #1",
                        "ALERT_RESOLVED #1",
                        "RESOLVED #1",
                        "OPENED #2");
        IncidentEvent recurrence = events.get(6);
        assertThat(recurrence.getRecurrenceOf()).isEqualTo(events.get(0).getIncidentId());
        assertThat(recurrence.getEvidence())
                .containsEntry("recurrenceOf", events.get(0).getIncidentId());
    }

    @Test
    void resolvedIncidentsAreForgottenAfterRetention() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        resolve("PostgresDown", "users-pg", 60);
        time(360);
        assertThat(store.resolved).hasSize(1);
        time(360 + (int) Duration.ofDays(7).toSeconds());
        assertThat(store.resolved).isEmpty();
        fire("PostgresDown", "users-pg", 400 + (int) Duration.ofDays(7).toSeconds());
        assertThat(events.get(events.size() - 1).getRecurrenceOf()).isNull();
    }

    @Test
    void topologyLinksNeedRecentActivityButTheSameServiceAlwaysJoins() throws Exception {
        fire("PostgresDown", "users-pg", 0);
        resolve("PostgresDown", "users-pg", 10);
        fire("PostgresSlow", "users-pg", 200); // same service, within the quiet period: joins
        resolve("PostgresSlow", "users-pg", 210);
        fire("HighLatency", "users-svc", 210 + 601); // neighbour, but the incident is quiet > gap
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_RESOLVED #1",
                        "ALERT_ADDED #1",
                        "ALERT_RESOLVED #1",
                        "OPENED #2");
    }

    @Test
    void aMemberFiringAgainLongAfterItResolvedRejoinsAsOneEntryAndItsResolveCounts()
            throws Exception {
        fire("PostgresDown", "users-pg", 0);
        fire("PostgresSlow", "users-pg", 10);
        resolve("PostgresSlow", "users-pg", 60);
        fire("PostgresSlow", "users-pg", 60 + 900); // 15 min later; PostgresDown still fires
        resolve("PostgresSlow", "users-pg", 1000);
        resolve("PostgresDown", "users-pg", 1010);
        time(1010 + 300);
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_ADDED #1",
                        "ALERT_RESOLVED #1",
                        "ALERT_ADDED #1",
                        "ALERT_RESOLVED #1",
                        "ALERT_RESOLVED #1",
                        "RESOLVED #1");
        assertThat(events.get(3).getAlertCount()).as("still two alerts, not three").isEqualTo(2);
    }

    @Test
    void labelRulesFromThePolicyLinkAlertsWithoutTopology() throws Exception {
        correlator =
                new Correlator(
                        new CorrelationPolicy(
                                "cluster",
                                "default",
                                Duration.ofMinutes(10),
                                Duration.ofMinutes(5),
                                Duration.ofDays(7),
                                1,
                                Duration.ofMinutes(30),
                                Duration.ofDays(7),
                                List.of(
                                        new CorrelationPolicy.LabelRule(
                                                "same-alertname", List.of("alertname"))),
                                Duration.ofMinutes(4),
                                Duration.ofSeconds(60),
                                Duration.ofMinutes(10)));
        fire("NodeDiskFull", "batch-a", 0);
        fire("NodeDiskFull", "batch-b", 30);
        assertThat(story()).containsExactly("OPENED #1", "ALERT_ADDED #1");
        assertThat(events.get(1).getEvidence().get("links")).contains("label-rule:same-alertname");
    }

    @Test
    void severityFollowsTheMostSevereMember() throws Exception {
        fire("HighLatency", "users-svc", 0, Severity.SEV3);
        fire("PostgresDown", "users-pg", 10, Severity.SEV1);
        assertThat(story())
                .containsExactly(
                        "OPENED #1",
                        "ALERT_ADDED #1",
                        "SEVERITY_CHANGED #1",
                        "ROOT_CAUSE_CHANGED #1");
        assertThat(events.get(2).getPreviousSeverity()).isEqualTo(Severity.SEV3);
        assertThat(events.get(3).getSeverity()).isEqualTo(Severity.SEV1);
    }

    /** In-memory {@link IncidentStore}. */
    void fireIn(String cluster, String name, String service, int seconds) throws Exception {
        Instant t = Instant.ofEpochMilli(at(seconds));
        send(alert(name, service).label("cluster", cluster).firing(t, t).build(), at(seconds));
    }

    void resolveIn(String cluster, String name, String service, int seconds) throws Exception {
        send(
                alert(name, service)
                        .label("cluster", cluster)
                        .resolved(Instant.ofEpochMilli(at(seconds)))
                        .build(),
                at(seconds));
    }

    /** An outage of {@code db} and, {@code lag} seconds later, its caller; both clear, quiet. */
    void outage(String dbCluster, String db, String callerCluster, String caller, int s, int lag)
            throws Exception {
        fireIn(dbCluster, "PostgresDown", db, s);
        fireIn(callerCluster, "HighErrorRate", caller, s + lag);
        resolveIn(dbCluster, "PostgresDown", db, s + 300);
        resolveIn(callerCluster, "HighErrorRate", caller, s + 310);
        time(s + 1000);
    }

    @Test
    void aSharedDatabaseInItsOwnClusterAndItsCallersElsewhereAreOneIncidentOnceCallsCrossThere()
            throws Exception {
        // Two earlier outages taught that users-pg (cluster data) and users-svc (cluster apps)
        // fail together along the topology's call: calls cross from apps into data.
        for (int k = 0; k < 3; k++) {
            outage("data", "users-pg", "apps", "users-svc", k * 3600, 20);
        }
        events.clear();
        fireIn("data", "PostgresDown", "users-pg", 4 * 3600);
        fireIn("apps", "HighErrorRate", "users-svc", 4 * 3600 + 30);
        IncidentEvent added = events.get(events.size() - 1);
        assertThat(events)
                .extracting(IncidentEvent::getIncidentId)
                .containsOnly(events.get(0).getIncidentId());
        assertThat(events.get(events.size() - 1).getRootCauseService()).isEqualTo("users-pg");
        assertThat(
                        events.stream()
                                .filter(
                                        e ->
                                                e.getType()
                                                        == io.tocsin.avro.IncidentEventType
                                                                .ALERT_ADDED)
                                .findFirst()
                                .orElseThrow()
                                .getEvidence())
                .containsEntry("link.origin", "topology")
                .containsEntry("link.crossDomain", "apps->data");
        assertThat(added).isNotNull();
    }

    @Test
    void theSameServicesInTwoRegionsAreCopiesAndNeverLinkAcrossThem() throws Exception {
        int s = 0;
        for (String c : new String[] {"eu", "us"}) {
            outage(c, "users-pg", c, "users-svc", s, 20);
            outage(c, "search-es", c, "search-svc", s + 1800, 20);
            s += 3600;
        }
        // Coincidences across the regions along the call, as many as a real cross-domain call
        // would give: the copies rule still keeps them apart.
        for (int k = 0; k < 3; k++) {
            outage("eu", "users-pg", "us", "users-svc", 3 * 3600 + k * 3600, 20);
        }
        events.clear();
        fireIn("eu", "PostgresDown", "users-pg", 8 * 3600);
        fireIn("us", "HighErrorRate", "users-svc", 8 * 3600 + 30);
        assertThat(events)
                .filteredOn(e -> e.getType() == io.tocsin.avro.IncidentEventType.OPENED)
                .as("users-svc in us is not a victim of users-pg in eu")
                .hasSize(2);
    }

    @Test
    void learnedCallsFillAServiceTheTopologyDoesNotKnow() throws Exception {
        CorrelationPolicy.Learning l =
                new CorrelationPolicy.Learning(
                        true,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        2,
                        0.5,
                        100,
                        Duration.ofDays(14));
        for (int k = 0; k < 3; k++) {
            memory.observe("ledger-db", "prod-eu", at(k * 3600), l, (a, b) -> false);
            memory.observe("ledger-api", "prod-eu", at(k * 3600 + 30), l, (a, b) -> false);
        }
        assertThat(memory.learnedCalls.get("ledger-api")).containsExactly("ledger-db");
        correlator = new Correlator(POLICY);
        fire("DatabaseUnavailable", "ledger-db", 5 * 3600);
        fire("RequestErrorRatioHigh", "ledger-api", 5 * 3600 + 40);
        assertThat(story()).containsExactly("OPENED #1", "ALERT_ADDED #1");
        assertThat(events.get(1).getEvidence())
                .containsEntry("link.origin", "learned-cooccurrence");
        assertThat(events.get(1).getRootCauseService()).isEqualTo("ledger-db");
    }

    static final class MemoryStore implements IncidentStore {
        final Map<String, IncidentState> open = new TreeMap<>();
        final Map<String, IncidentState> resolved = new TreeMap<>();
        final Map<String, String> byFingerprint = new TreeMap<>();

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
            new ArrayList<>(resolved.values())
                    .stream().filter(s -> s.resolvedAtMillis <= before).forEach(this::delete);
        }
    }
}
