package io.tocsin.escalate.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.PageRateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageLimiterStateTest {

    private static final PageRateLimit TWO_PER_MINUTE = new PageRateLimit(2, Duration.ofMinutes(1));

    private static PageLimiterState sentAt(long... times) {
        PageLimiterState s = new PageLimiterState();
        for (long t : times) {
            s.recordSend(t, TWO_PER_MINUTE);
        }
        return s;
    }

    @ParameterizedTest(name = "sent at [{0}], a page at {1} may leave: {2}")
    @CsvSource({
        "'',              0,      true",
        "'0',             0,      true",
        "'0 10000',       10000,  false",
        "'0 10000',       59999,  false",
        "'0 10000',       60000,  true",
        "'0 10000 60000', 69999,  false",
        "'0 10000 60000', 70000,  true",
    })
    void atMostMaxPagesInAnyWindowOfPer(String sends, long now, boolean allowed) {
        long[] times =
                sends.isBlank()
                        ? new long[0]
                        : java.util.Arrays.stream(sends.split(" "))
                                .mapToLong(Long::parseLong)
                                .toArray();
        assertThat(sentAt(times).allows(now, TWO_PER_MINUTE)).isEqualTo(allowed);
    }

    @Test
    void theHistoryKeepsOnlyMaxPagesSendTimes() {
        PageLimiterState s = sentAt(0, 10_000, 60_000, 70_000);
        assertThat(s.sends).containsExactly(60_000, 70_000);
        assertThat(s.nextAllowed(TWO_PER_MINUTE)).isEqualTo(120_000);
        assertThat(s.quietAt(TWO_PER_MINUTE)).isEqualTo(130_000);
    }

    @Test
    void aKeyIsIdleOnlyWithNothingHeldAndTheNewestSendAged() {
        PageLimiterState s = sentAt(0);
        assertThat(s.idle(59_999, TWO_PER_MINUTE)).isFalse();
        assertThat(s.idle(60_000, TWO_PER_MINUTE)).isTrue();
        s.tail = 1;
        assertThat(s.idle(60_000, TWO_PER_MINUTE)).as("a page is held").isFalse();
    }

    @Test
    void aSmallerLimitAfterARestoreUsesTheNewestSends() {
        PageLimiterState s = sentAt(0, 10_000);
        PageRateLimit onePerMinute = new PageRateLimit(1, Duration.ofMinutes(1));
        assertThat(s.nextAllowed(onePerMinute)).isEqualTo(70_000);
        s.recordSend(70_000, onePerMinute);
        assertThat(s.sends).containsExactly(70_000);
    }

    @Test
    void theClockNeverGoesBack() {
        PageLimiterState s = new PageLimiterState();
        assertThat(s.advance(5)).isEqualTo(5);
        assertThat(s.advance(3)).as("a late page is decided at the key's latest time").isEqualTo(5);
    }
}
