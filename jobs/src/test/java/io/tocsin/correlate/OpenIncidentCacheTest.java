package io.tocsin.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenIncidentCacheTest {

    private static List<IncidentState> incidents(String domain, int n) {
        List<IncidentState> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IncidentState s = new IncidentState();
            s.incidentId = domain + "-" + i;
            s.domain = domain;
            out.add(s);
        }
        return out;
    }

    @Test
    void loadsADomainOnceAndKeepsItsChanges() throws Exception {
        OpenIncidentCache cache = new OpenIncidentCache(100, 10, OpenIncidentCacheTest::due);
        AtomicInteger loads = new AtomicInteger();
        OpenIncidentCache.Partition d =
                cache.partition(
                        "a",
                        () -> {
                            loads.incrementAndGet();
                            return incidents("a", 3);
                        });
        IncidentState extra = incidents("a", 4).get(3);
        d.put(extra);
        d.remove("a-0");
        OpenIncidentCache.Partition again =
                cache.partition(
                        "a",
                        () -> {
                            loads.incrementAndGet();
                            return List.of();
                        });
        assertThat(loads).hasValue(1);
        assertThat(again.open())
                .extracting(s -> s.incidentId)
                .containsExactlyInAnyOrder("a-1", "a-2", "a-3");
        assertThat(cache.incidents()).isEqualTo(3);
    }

    @Test
    void dropsTheLeastRecentlyUsedDomainsButNeverTheOneInUse() throws Exception {
        OpenIncidentCache cache = new OpenIncidentCache(10, 3, OpenIncidentCacheTest::due);
        cache.partition("a", () -> incidents("a", 4));
        cache.partition("b", () -> incidents("b", 4));
        cache.partition("a", List::of); // a is now the most recently used
        cache.partition("c", () -> incidents("c", 4)); // 12 > 10: b goes
        assertThat(cache.incidents()).isEqualTo(8);
        assertThat(cache.partitions()).isEqualTo(2);
        AtomicInteger loads = new AtomicInteger();
        cache.partition(
                "b",
                () -> {
                    loads.incrementAndGet();
                    return incidents("b", 4);
                });
        assertThat(loads).hasValue(1); // b was reloaded from state
        cache.partition("big", () -> incidents("big", 50)); // alone over the bound: kept
        assertThat(cache.partitions()).isEqualTo(1);
        assertThat(cache.incidents()).isEqualTo(50);
    }

    /** The index answers exactly what filtering every open incident answers, as members change. */
    @Test
    void theIndexAgreesWithAFullScanAsMembersChange() throws Exception {
        Random random = new Random(7);
        OpenIncidentCache cache = new OpenIncidentCache(1000, 10, OpenIncidentCacheTest::due);
        OpenIncidentCache.Partition p = cache.partition("k", List::of);
        Map<String, IncidentState> truth = new HashMap<>();
        String[] services = {"api", "db", "cache", null};
        for (int step = 0; step < 2000; step++) {
            String id = "inc-" + random.nextInt(30);
            int op = random.nextInt(10);
            if (op == 0) {
                truth.remove(id);
                p.remove(id);
            } else {
                IncidentState s = truth.computeIfAbsent(id, x -> incidents(x, 1).get(0));
                s.incidentId = id;
                if (op < 7 || s.members.isEmpty()) {
                    MemberAlert m = new MemberAlert();
                    m.fingerprint = "fp-" + random.nextInt(40);
                    m.service = services[random.nextInt(services.length)];
                    m.alertName = "A" + random.nextInt(3);
                    s.members.add(m);
                } else {
                    s.members.remove(random.nextInt(s.members.size())); // moved out in place
                }
                s.quietSinceMillis = random.nextInt(3) == 0 ? -1 : random.nextInt(100);
                p.put(s);
            }
            long t = random.nextInt(120);
            assertThat(ids(p.dueBy(t)))
                    .isEqualTo(ids(truth.values().stream().filter(s -> due(s) <= t).toList()));
            String fp = "fp-" + random.nextInt(40);
            String key = random.nextBoolean() ? "db" : MemberAlert.ALERTNAME_KEY + "A1";
            assertThat(ids(p.withMember(fp)))
                    .isEqualTo(
                            ids(
                                    truth.values().stream()
                                            .filter(s -> s.member(fp) != null)
                                            .toList()));
            assertThat(ids(p.touching(key::equals)))
                    .isEqualTo(ids(truth.values().stream().filter(s -> touches(s, key)).toList()));
        }
        assertThat(cache.incidents()).isEqualTo(truth.size());
    }

    private static long due(IncidentState s) {
        return s.quietSinceMillis < 0 ? Long.MAX_VALUE : s.quietSinceMillis;
    }

    private static boolean touches(IncidentState s, String key) {
        return s.members.stream().anyMatch(m -> key.equals(m.serviceKey()));
    }

    private static Set<String> ids(Collection<IncidentState> xs) {
        Set<String> out = new TreeSet<>();
        xs.forEach(s -> out.add(s.incidentId));
        return out;
    }

    @Test
    void boundsTheNumberOfDomainsWithoutOpenIncidents() throws Exception {
        OpenIncidentCache cache = new OpenIncidentCache(100, 3, OpenIncidentCacheTest::due);
        for (int i = 0; i < 10; i++) {
            cache.partition("d" + i, List::of);
        }
        assertThat(cache.partitions()).isEqualTo(3);
    }
}
