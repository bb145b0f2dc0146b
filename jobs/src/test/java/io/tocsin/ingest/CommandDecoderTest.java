package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandDecoderTest {

    private final CommandDecoder decoder = new CommandDecoder(4096);

    private IngestedCommand decode(byte[] bytes) {
        List<IngestedCommand> out = new ArrayList<>();
        decoder.decode(bytes, new Origin("commands", 0, 7L, 1_000L), out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private IngestedCommand decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsJsonCaseInsensitivelyAndAvro() throws Exception {
        Command c =
                decode(
                                "{\"commandId\":\"c1\",\"incidentId\":\"INC-1\",\"type\":\"downgrade\","
                                        + "\"actor\":\"bob\",\"role\":\"team-lead\",\"reason\":\"noise\","
                                        + "\"issuedAt\":\"2026-11-02T02:07:00Z\",\"targetSeverity\":\"sev3\"}")
                        .value;
        assertThat(c.getType()).isEqualTo(CommandType.DOWNGRADE);
        assertThat(c.getTargetSeverity()).isEqualTo(Severity.SEV3);
        assertThat(c.getIssuedAt()).isEqualTo(Instant.parse("2026-11-02T02:07:00Z"));
        assertThat(decode(Command.getEncoder().encode(c).array()).value).isEqualTo(c);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{oops|MALFORMED_JSON",
                "{\"incidentId\":\"INC-1\",\"type\":\"acknowledge\",\"actor\":\"a\",\"role\":\"r\",\"issuedAt\":1}|NOT_A_COMMAND",
                "{\"commandId\":\"c\",\"incidentId\":\"INC-1\",\"type\":\"snooze\",\"actor\":\"a\",\"role\":\"r\",\"issuedAt\":1}|NOT_A_COMMAND",
                "{\"commandId\":\"c\",\"incidentId\":\"INC-1\",\"type\":\"upgrade\",\"actor\":\"a\",\"role\":\"r\",\"issuedAt\":1,\"targetSeverity\":\"SEV9\"}|NOT_A_COMMAND",
                "{\"commandId\":\"c\",\"incidentId\":\"INC-1\",\"type\":\"acknowledge\",\"actor\":\"a\",\"role\":\"r\",\"issuedAt\":\"soon\"}|BAD_TIME",
                "{\"commandId\":\"c\",\"incidentId\":\"INC-1\",\"type\":\"acknowledge\",\"actor\":\"a\",\"role\":\"r\"}|BAD_TIME",
            })
    void badCommandsAreDeadLetteredWithAReason(String json, String code) {
        IngestedCommand out = decode(json);
        assertThat(out.value).isNull();
        assertThat(out.deadLetter.getReasonCode()).isEqualTo(code);
        assertThat(out.deadLetter.getStage()).isEqualTo("commands");
        assertThat(out.deadLetter.getOffset()).isEqualTo(7L);
        assertThat(out.deadLetter.getError()).isNotBlank();
    }
}
