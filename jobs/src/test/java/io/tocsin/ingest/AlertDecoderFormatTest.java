package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.config.IngestPolicy.AlertFormat;
import io.tocsin.config.SeverityTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A topic fixed to one format dead-letters the others; AUTO accepts all. */
class AlertDecoderFormatTest {

    private static final String ALERT =
            "{\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-11-02T02:00:00Z\"}";
    private static final String WEBHOOK = "{\"version\":\"4\",\"alerts\":[" + ALERT + "]}";
    private static final String ARRAY = "[" + ALERT + "]";

    @ParameterizedTest(name = "{0} topic, {1} record -> {2}")
    @CsvSource({
        "AUTO, alert, accepted",
        "AUTO, webhook, accepted",
        "AUTO, array, accepted",
        "JSON, alert, accepted",
        "JSON, array, accepted",
        "JSON, webhook, 'expected json records on this topic, found a webhook payload'",
        "WEBHOOK, webhook, accepted",
        "WEBHOOK, alert, 'expected webhook records on this topic, found a single alert object'",
        "AVRO, alert, 'expected avro records on this topic, found no Avro single-object header'",
    })
    void fixedFormats(AlertFormat format, String kind, String expected) {
        String record =
                switch (kind) {
                    case "webhook" -> WEBHOOK;
                    case "array" -> ARRAY;
                    default -> ALERT;
                };
        List<Ingested> out =
                new AlertDecoder(SeverityTable.defaults(), 4096, format)
                        .decode(record.getBytes(StandardCharsets.UTF_8), Origin.line("t", 1));
        assertThat(out).hasSize(1);
        if (expected.equals("accepted")) {
            assertThat(out.get(0).value).isNotNull();
        } else {
            assertThat(out.get(0).deadLetter.getReasonCode()).isEqualTo("WRONG_FORMAT");
            assertThat(out.get(0).deadLetter.getError()).isEqualTo(expected);
        }
    }
}
