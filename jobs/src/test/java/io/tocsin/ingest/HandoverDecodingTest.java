package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.Handover;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The handover of a command: read from JSON or Avro, malformed ones dead-lettered by field. */
class HandoverDecodingTest {

    private static final String HEAD =
            "{\"commandId\":\"h1\",\"incidentId\":\"INC-1\",\"actor\":\"alice\",\"role\":\"responder\","
                    + "\"issuedAt\":\"2026-11-02T02:07:00Z\",";

    private final CommandDecoder decoder = new CommandDecoder(64 * 1024);

    private IngestedCommand decode(byte[] bytes) {
        List<IngestedCommand> out = new ArrayList<>();
        decoder.decode(bytes, new Origin("commands", 0, 7L, 1_000L), out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private IngestedCommand decode(String type, String handover) {
        String json =
                HEAD
                        + "\"type\":\""
                        + type
                        + "\""
                        + (handover == null ? "" : ",\"handover\":" + handover)
                        + "}";
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHandoverReadsListsOrSingleTextsAndRoundTripsThroughAvro() throws Exception {
        Command c =
                decode(
                                "handover",
                                "{\"hypotheses\":[\"pool exhausted\",\"bad deploy\"],"
                                        + "\"actionsTaken\":\"restarted users-pg\","
                                        + "\"knownDependencies\":[],\"nextSteps\":null}")
                        .value;
        assertThat(c.getType()).isEqualTo(CommandType.HANDOVER);
        Handover h = c.getHandover();
        assertThat(h.getHypotheses()).containsExactly("pool exhausted", "bad deploy");
        assertThat(h.getActionsTaken()).containsExactly("restarted users-pg");
        assertThat(h.getKnownDependencies()).isEmpty();
        assertThat(h.getNextSteps()).isEmpty();
        assertThat(decode(Command.getEncoder().encode(c).array()).value).isEqualTo(c);
    }

    @Test
    void anyCommandMayCarryAHandoverInlineAndNoneNeedsOne() {
        Command r = decode("reassign", "{\"nextSteps\":[\"call the DBA\"]}").value;
        assertThat(r.getType()).isEqualTo(CommandType.REASSIGN);
        assertThat(r.getHandover().getNextSteps()).containsExactly("call the DBA");
        assertThat(decode("reassign", null).value.getHandover()).isNull();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "handover | <none>                       | handover: required for a handover command (an object with hypotheses, actionsTaken, knownDependencies, nextSteps)",
                "handover | null                         | handover: required for a handover command (an object with hypotheses, actionsTaken, knownDependencies, nextSteps)",
                "handover | {}                           | handover: empty (give at least one of hypotheses, actionsTaken, knownDependencies, nextSteps)",
                "reassign | {\"hypotheses\":[]}          | handover: empty (give at least one of hypotheses, actionsTaken, knownDependencies, nextSteps)",
                "handover | \"it was dns\"               | handover: expected an object with hypotheses, actionsTaken, knownDependencies, nextSteps, found string",
                "handover | {\"hypotheses\":42}          | handover.hypotheses: expected a string or a list of strings",
                "handover | {\"nextSteps\":[\"a\",7]}    | handover.nextSteps[1]: expected a string",
                "handover | {\"nextSteps\":[\"a\",\" \"]} | handover.nextSteps[1]: empty",
                "handover | {\"theory\":[\"dns\"]}       | handover: unknown field \"theory\" (one of hypotheses, actionsTaken, knownDependencies, nextSteps)",
                "handover | <long item>                  | handover.actionsTaken[0]: 1001 characters, at most 1000",
                "handover | <many items>                 | handover.hypotheses: 21 items, at most 20",
                "handover | <long in all>                | handover: 4005 characters in all, at most 4000",
            })
    void malformedHandoversAreDeadLetteredNamingTheField(
            String type, String handover, String error) {
        String h =
                switch (handover) {
                    case "<none>" -> null;
                    case "<long item>" -> "{\"actionsTaken\":[\"" + "x".repeat(1001) + "\"]}";
                    case "<many items>" ->
                            "{\"hypotheses\":["
                                    + String.join(",", Collections.nCopies(21, "\"h\""))
                                    + "]}";
                    case "<long in all>" ->
                            "{\"hypotheses\":[\""
                                    + String.join("\",\"", Collections.nCopies(4, "y".repeat(1000)))
                                    + "\"],\"nextSteps\":\"12345\"}";
                    default -> handover;
                };
        IngestedCommand out = decode(type, h);
        assertThat(out.value).isNull();
        assertThat(out.deadLetter.getReasonCode()).isEqualTo("NOT_A_COMMAND");
        assertThat(out.deadLetter.getStage()).isEqualTo("commands");
        assertThat(out.deadLetter.getError()).isEqualTo(error);
    }

    @Test
    void anAvroCommandIsHeldToTheSameLimits() throws Exception {
        Command c =
                Command.newBuilder()
                        .setCommandId("h1")
                        .setIncidentId("INC-1")
                        .setType(CommandType.HANDOVER)
                        .setActor("alice")
                        .setRole("responder")
                        .setIssuedAt(java.time.Instant.parse("2026-11-02T02:07:00Z"))
                        .setHandover(Handover.newBuilder().setNextSteps(List.of("")).build())
                        .build();
        IngestedCommand out = decode(Command.getEncoder().encode(c).array());
        assertThat(out.deadLetter.getReasonCode()).isEqualTo("NOT_A_COMMAND");
        assertThat(out.deadLetter.getError()).isEqualTo("handover.nextSteps[0]: empty");
        c.setHandover(null);
        assertThat(decode(Command.getEncoder().encode(c).array()).deadLetter.getError())
                .startsWith("handover: required for a handover command");
    }
}
