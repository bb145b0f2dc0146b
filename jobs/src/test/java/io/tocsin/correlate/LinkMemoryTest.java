package io.tocsin.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.CorrelationPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where services run, which domains are copies, and what co-occurrence teaches. */
class LinkMemoryTest {

    static final CorrelationPolicy.Learning LEARNING =
            new CorrelationPolicy.Learning(
                    true,
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(10),
                    2,
                    0.5,
                    100,
                    Duration.ofDays(14));
    static final long MIN = 60_000;

    final LinkMemory m = new LinkMemory();

    void burst(String service, String domain, long minute) {
        m.observe(service, domain, minute * MIN, LEARNING, (a, b) -> true);
    }

    @Test
    void domainsRunningTheSameServicesAreCopiesAndCallsStayInside() {
        for (String d : new String[] {"eu", "us"}) {
            burst("orders-api", d, 0);
            burst("orders-pg", d, 100);
            burst("users-api", d, 200);
        }
        assertThat(m.copies("eu", "us")).isTrue();
        assertThat(m.reaches("eu", "orders-pg", "us")).isFalse();
    }

    @Test
    void aCallIntoAnotherDomainIsFollowedOnlyAfterEvidence() {
        burst("users-pg", "data", 0);
        burst("checkout-api", "apps", 1);
        assertThat(m.reaches("apps", "users-pg", "data"))
                .as("one coincidence is no evidence")
                .isFalse();
        burst("users-pg", "data", 60);
        burst("checkout-api", "apps", 61);
        burst("users-pg", "data", 120);
        burst("checkout-api", "apps", 122);
        assertThat(m.reaches("apps", "users-pg", "data")).isTrue();
        burst("users-pg", "apps", 200);
        assertThat(m.reaches("apps", "users-pg", "data"))
                .as("once users-pg runs in apps too, the call stays there")
                .isFalse();
    }

    @Test
    void servicesThatFailTogetherAreLinkedTheOneFirstAsTheDependency() {
        for (int i = 0; i < 3; i++) {
            burst("ledger-db", "c", i * 60);
            burst("ledger-core", "c", i * 60 + 1);
        }
        burst("noise-svc", "c", 30);
        assertThat(m.learnedCalls.get("ledger-core")).containsExactly("ledger-db");
        assertThat(m.learnedCalls).doesNotContainKey("noise-svc");
        assertThat(m.coFailing).isEmpty();
    }

    @Test
    void pairsOverTheCapAreDroppedLeastRecentFirst() {
        CorrelationPolicy.Learning small =
                new CorrelationPolicy.Learning(
                        true,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        2,
                        0.5,
                        3,
                        Duration.ofDays(14));
        for (int i = 0; i < 10; i++) {
            m.observe("a" + i, "c", i * 20 * MIN, small, (x, y) -> true);
            m.observe("b" + i, "c", i * 20 * MIN + MIN, small, (x, y) -> true);
        }
        assertThat(m.pairs.size()).isLessThanOrEqualTo(4);
    }
}
