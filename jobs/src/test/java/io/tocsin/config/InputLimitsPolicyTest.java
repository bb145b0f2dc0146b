package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ingest section's per-record limits: read, defaulted and validated with the field. */
class InputLimitsPolicyTest {

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(
                "policy.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEachLimitAndDefaultsTheRest() {
        Policy p = parse("ingest:\n  maxLabels: 10\n  maxNestingDepth: 12\n  maxAnnotations: 0\n");
        assertThat(p.ingest().limits()).isEqualTo(new InputLimits(10, 256, 4096, 0, 16384, 12));
        assertThat(parse("ingest:\n  maxRecordBytes: 4096\n").ingest().limits())
                .isEqualTo(InputLimits.DEFAULTS);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "maxLabels: 0|ingest.maxLabels: must be between 1 and 100000, got 0",
                "maxLabelNameLength: -1|ingest.maxLabelNameLength: must be between 1 and 1048576, got -1",
                "maxLabelValueLength: 0|ingest.maxLabelValueLength: must be between 1 and 67108864, got 0",
                "maxAnnotations: -1|ingest.maxAnnotations: must be between 0 and 100000, got -1",
                "maxAnnotationLength: 0|ingest.maxAnnotationLength: must be between 1 and 67108864, got 0",
                "maxNestingDepth: 4|ingest.maxNestingDepth: must be between 8 and 1000, got 4",
                "maxNestingDepth: 5000|ingest.maxNestingDepth: must be between 8 and 1000, got 5000",
                "maxLabels: many|ingest.maxLabels: expected an integer, found 'many'"
            })
    void aLimitOutOfRangeFailsWithTheFileAndField(String line, String message) {
        assertThatThrownBy(() -> parse("ingest:\n  " + line + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("policy.yaml: " + message);
    }
}
