package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A command's disposition, impact and tags: read from JSON or Avro, values outside their sets and
 * fields on the wrong command dead-lettered by field.
 */
class ClassificationDecodingTest {

    private static final String HEAD =
            "{\"commandId\":\"k1\",\"incidentId\":\"INC-1\",\"actor\":\"alice\",\"role\":\"responder\","
                    + "\"issuedAt\":\"2026-11-02T02:07:00Z\",";

    private final CommandDecoder decoder = new CommandDecoder(64 * 1024);

    private IngestedCommand decode(byte[] bytes) {
        List<IngestedCommand> out = new ArrayList<>();
        decoder.decode(bytes, new Origin("commands", 0, 7L, 1_000L), out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private IngestedCommand decode(String type, String fields) {
        String json = HEAD + "\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields);
        return decode((json + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aResolveMayCarryADispositionInAnyCase() throws Exception {
        Command c =
                decode("resolve", "\"reason\":\"noise\",\"disposition\":\" False-Positive \"")
                        .value;
        assertThat(c.getType()).isEqualTo(CommandType.RESOLVE);
        assertThat(c.getDisposition()).isEqualTo("false-positive");
        assertThat(c.getImpact()).isNull();
        assertThat(c.getTags()).isNull();
        assertThat(decode(Command.getEncoder().encode(c).array()).value).isEqualTo(c);
        // without one: not given, allowed
        assertThat(decode("resolve", "\"reason\":\"done\"").value.getDisposition()).isNull();
    }

    @Test
    void aClassifyReadsImpactTagsAndDispositionAndRoundTripsThroughAvro() throws Exception {
        Command c =
                decode(
                                "classify",
                                "\"impact\":\"OUTAGE\",\"tags\":[\"customer-facing\",\"eu\"],"
                                        + "\"disposition\":\"duplicate\"")
                        .value;
        assertThat(c.getType()).isEqualTo(CommandType.CLASSIFY);
        assertThat(c.getImpact()).isEqualTo("outage");
        assertThat(c.getTags()).containsExactly("customer-facing", "eu");
        assertThat(c.getDisposition()).isEqualTo("duplicate");
        assertThat(decode(Command.getEncoder().encode(c).array()).value).isEqualTo(c);
        // an empty list is kept (it clears the tags), unlike no list
        assertThat(decode("classify", "\"tags\":[]").value.getTags()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "resolve     | \"disposition\":\"bogus\"        | disposition: unknown value \"bogus\" (one of fixed, false-positive, duplicate)",
                "resolve     | \"disposition\":\"\"             | disposition: unknown value \"\" (one of fixed, false-positive, duplicate)",
                "resolve     | \"disposition\":\"false_positive\" | disposition: unknown value \"false_positive\" (one of fixed, false-positive, duplicate)",
                "classify    | \"disposition\":[\"fixed\"]      | disposition: expected a string",
                "acknowledge | \"disposition\":\"fixed\"        | disposition: only on resolve or classify, not on acknowledge",
                "classify    | \"impact\":\"meh\"               | impact: unknown value \"meh\" (one of outage, degradation, none)",
                "resolve     | \"impact\":\"outage\"            | impact: only on classify, not on resolve",
                "add_note    | \"tags\":[\"a\"]                 | tags: only on classify, not on add_note",
                "classify    | \"tags\":\"eu\"                  | tags: expected a list of strings",
                "classify    | \"tags\":[\"eu\",3]              | tags[1]: expected a string",
                "classify    | \"tags\":[\"eu\",\" \"]          | tags[1]: empty",
                "classify    | <long tag>                       | tags[0]: 65 characters, at most 64",
                "classify    | <many tags>                      | tags: 17 tags, at most 16",
                "classify    | <nothing>                        | classify: needs at least one of disposition (fixed, false-positive, duplicate), impact (outage, degradation, none) or tags",
                "classify    | \"impact\":null                  | classify: needs at least one of disposition (fixed, false-positive, duplicate), impact (outage, degradation, none) or tags",
            })
    void badClassificationsAreDeadLetteredNamingTheField(String type, String fields, String error) {
        String f =
                switch (fields) {
                    case "<nothing>" -> "";
                    case "<long tag>" -> "\"tags\":[\"" + "t".repeat(65) + "\"]";
                    case "<many tags>" ->
                            "\"tags\":[" + String.join(",", Collections.nCopies(17, "\"t\"")) + "]";
                    default -> fields;
                };
        IngestedCommand out = decode(type, f);
        assertThat(out.value).isNull();
        assertThat(out.deadLetter.getReasonCode()).isEqualTo("NOT_A_COMMAND");
        assertThat(out.deadLetter.getStage()).isEqualTo("commands");
        assertThat(out.deadLetter.getError()).isEqualTo(error);
    }

    @Test
    void anAvroCommandIsHeldToTheSameSets() throws Exception {
        Command c =
                Command.newBuilder()
                        .setCommandId("k1")
                        .setIncidentId("INC-1")
                        .setType(CommandType.RESOLVE)
                        .setActor("alice")
                        .setRole("responder")
                        .setIssuedAt(Instant.parse("2026-11-02T02:07:00Z"))
                        .setDisposition("Fixed") // the JSON reader lowercases; Avro is exact
                        .build();
        IngestedCommand out = decode(Command.getEncoder().encode(c).array());
        assertThat(out.deadLetter.getReasonCode()).isEqualTo("NOT_A_COMMAND");
        assertThat(out.deadLetter.getError())
                .isEqualTo(
                        "disposition: unknown value \"Fixed\" (one of fixed, false-positive,"
                                + " duplicate)");
        c.setType(CommandType.CLASSIFY);
        c.setDisposition(null);
        assertThat(decode(Command.getEncoder().encode(c).array()).deadLetter.getError())
                .startsWith("classify: needs at least one of");
        c.setTags(List.of("x".repeat(65)));
        assertThat(decode(Command.getEncoder().encode(c).array()).deadLetter.getError())
                .isEqualTo("tags[0]: 65 characters, at most 64");
    }
}
