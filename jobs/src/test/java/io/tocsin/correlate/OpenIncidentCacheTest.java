package io.tocsin.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
        OpenIncidentCache cache = new OpenIncidentCache(100, 10);
        AtomicInteger loads = new AtomicInteger();
        OpenIncidentCache.Domain d =
                cache.domain(
                        "a",
                        () -> {
                            loads.incrementAndGet();
                            return incidents("a", 3);
                        });
        IncidentState extra = incidents("a", 4).get(3);
        d.put(extra);
        d.remove("a-0");
        OpenIncidentCache.Domain again =
                cache.domain(
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
        OpenIncidentCache cache = new OpenIncidentCache(10, 3);
        cache.domain("a", () -> incidents("a", 4));
        cache.domain("b", () -> incidents("b", 4));
        cache.domain("a", List::of); // a is now the most recently used
        cache.domain("c", () -> incidents("c", 4)); // 12 > 10: b goes
        assertThat(cache.incidents()).isEqualTo(8);
        assertThat(cache.domains()).isEqualTo(2);
        AtomicInteger loads = new AtomicInteger();
        cache.domain(
                "b",
                () -> {
                    loads.incrementAndGet();
                    return incidents("b", 4);
                });
        assertThat(loads).hasValue(1); // b was reloaded from state
        cache.domain("big", () -> incidents("big", 50)); // alone over the bound: kept
        assertThat(cache.domains()).isEqualTo(1);
        assertThat(cache.incidents()).isEqualTo(50);
    }

    @Test
    void boundsTheNumberOfDomainsWithoutOpenIncidents() throws Exception {
        OpenIncidentCache cache = new OpenIncidentCache(100, 3);
        for (int i = 0; i < 10; i++) {
            cache.domain("d" + i, List::of);
        }
        assertThat(cache.domains()).isEqualTo(3);
    }
}
