package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void isPinnedSoOpenAlertsKeepTheirIdentityAcrossVersions() {
        // Changing this value splits every open alert in production: it is part of the contract.
        assertThat(Fingerprint.of(Map.of("alertname", "HighLatency", "service", "checkout-api")))
                .isEqualTo("b6b85d71f390e572");
        assertThat(Fingerprint.of(Map.of())).isEqualTo("cbf29ce484222325");
    }

    @Test
    void doesNotDependOnLabelOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("b", "2");
        a.put("a", "1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("a", "1");
        b.put("b", "2");
        assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
    }

    @Test
    void separatesNamesFromValues() {
        assertThat(Fingerprint.of(Map.of("ab", "c")))
                .isNotEqualTo(Fingerprint.of(Map.of("a", "bc")));
        assertThat(Fingerprint.of(Map.of("a", "1"))).isNotEqualTo(Fingerprint.of(Map.of("a", "2")));
    }
}
