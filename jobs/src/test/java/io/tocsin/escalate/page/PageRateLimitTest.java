package io.tocsin.escalate.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.config.PageRateLimit;
import java.time.Duration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class PageRateLimitTest {

    @Test
    void validatesItsBounds() {
        assertThatThrownBy(() -> new PageRateLimit(0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPages must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> new PageRateLimit(10_001, Duration.ofMinutes(1)))
                .hasMessage("maxPages must be between 1 and 10000, got 10001");
        assertThatThrownBy(() -> new PageRateLimit(5, Duration.ZERO))
                .hasMessage("per must be at least 1ms, got PT0S");
        assertThatThrownBy(() -> new PageRateLimit(5, null))
                .hasMessage("per must be at least 1ms, got nothing");
    }

    @Test
    void isSerializable() throws Exception {
        PageRateLimit l = new PageRateLimit(10, Duration.ofMinutes(1));
        byte[] bytes = InstantiationUtil.serializeObject(l);
        assertThat(
                        (PageRateLimit)
                                InstantiationUtil.deserializeObject(
                                        bytes, getClass().getClassLoader()))
                .isEqualTo(l);
        assertThat(l.perMillis()).isEqualTo(60_000);
    }
}
