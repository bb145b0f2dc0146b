package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.Change;
import io.tocsin.avro.ChangeKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeDecoderTest {

    private final ChangeDecoder decoder = new ChangeDecoder(4096);

    private IngestedChange decode(byte[] bytes) {
        List<IngestedChange> out = new ArrayList<>();
        decoder.decode(bytes, new Origin("changes", 1, 9L, 1_000L), out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private IngestedChange decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldFromJsonAndTheSameFromAvro() throws Exception {
        Change c =
                decode(
                                "{\"changeId\":\"d-812\",\"service\":\"users-pg\",\"kind\":\"Deploy\","
                                        + "\"version\":\"15.4-2\",\"author\":\"carol\",\"authorTeam\":\"team-identity\","
                                        + "\"time\":\"2026-11-02T01:55:00Z\",\"link\":\"https://ci.example/d/812\","
                                        + "\"environment\":\"prod\",\"cluster\":\"prod-shop-1\"}")
                        .value;
        assertThat(c.getChangeId()).isEqualTo("d-812");
        assertThat(c.getService()).isEqualTo("users-pg");
        assertThat(c.getKind()).isEqualTo(ChangeKind.DEPLOY);
        assertThat(c.getVersion()).isEqualTo("15.4-2");
        assertThat(c.getAuthor()).isEqualTo("carol");
        assertThat(c.getAuthorTeam()).isEqualTo("team-identity");
        assertThat(c.getTime()).isEqualTo(Instant.parse("2026-11-02T01:55:00Z"));
        assertThat(c.getLink()).isEqualTo("https://ci.example/d/812");
        assertThat(c.getEnvironment()).isEqualTo("prod");
        assertThat(c.getCluster()).isEqualTo("prod-shop-1");
        assertThat(decode(Change.getEncoder().encode(c).array()).value).isEqualTo(c);
    }

    @Test
    void acceptsFromToShortFormsOtherKindSpellingsAndAnUnknownService() {
        Change c =
                decode(
                                "{\"changeId\":\"f-1\",\"service\":\"brand-new-svc\",\"kind\":\"feature-flag\","
                                        + "\"from\":\"off\",\"to\":\"on\",\"time\":1700000000000}")
                        .value;
        assertThat(c.getKind()).isEqualTo(ChangeKind.FEATURE_FLAG);
        assertThat(c.getFromVersion()).isEqualTo("off");
        assertThat(c.getToVersion()).isEqualTo("on");
        assertThat(c.getAuthor()).isNull();
        assertThat(c.getTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(
                        decode(
                                        "{\"changeId\":\"i\",\"service\":\"s\",\"kind\":\"infra\",\"time\":1}")
                                .value
                                .getKind())
                .isEqualTo(ChangeKind.INFRASTRUCTURE);
        assertThat(
                        decode(
                                        "{\"changeId\":\"k\",\"service\":\"s\",\"kind\":\"CONFIG\",\"time\":1}")
                                .value
                                .getKind())
                .isEqualTo(ChangeKind.CONFIG);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{oops|MALFORMED_JSON|not JSON",
                "[1,2]|NOT_A_CHANGE|expected a JSON object (a change)",
                "{\"service\":\"s\",\"kind\":\"deploy\",\"time\":1}|NOT_A_CHANGE|changeId: required",
                "{\"changeId\":\" \",\"service\":\"s\",\"kind\":\"deploy\",\"time\":1}|NOT_A_CHANGE|changeId: required",
                "{\"changeId\":\"c\",\"kind\":\"deploy\",\"time\":1}|NOT_A_CHANGE|service: required",
                "{\"changeId\":\"c\",\"service\":{\"a\":1},\"kind\":\"deploy\",\"time\":1}|NOT_A_CHANGE|service: expected a string",
                "{\"changeId\":\"c\",\"service\":\"s\",\"time\":1}|NOT_A_CHANGE|kind: required",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"rollback\",\"time\":1}|NOT_A_CHANGE|kind: unknown change kind \"rollback\"",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"unknown\",\"time\":1}|NOT_A_CHANGE|kind: unknown change kind",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\"}|BAD_TIME|time: required",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\",\"time\":\"last tuesday\"}|BAD_TIME|time: cannot parse \"last tuesday\" as an RFC 3339 time",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\",\"time\":1,\"from\":\"1.0\"}|NOT_A_CHANGE|toVersion: required when fromVersion is given",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\",\"time\":1,\"link\":\"javascript:alert(1)\"}|NOT_A_CHANGE|link: \"javascript:alert(1)\" is not an http(s) URL",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\",\"time\":1,\"link\":\"ci/d/1\"}|NOT_A_CHANGE|link: \"ci/d/1\" is not an http(s) URL",
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\",\"time\":1,\"author\":[\"a\"]}|NOT_A_CHANGE|author: expected a string",
            })
    void badChangesAreDeadLetteredWithTheFieldInTheReason(String json, String code, String error) {
        IngestedChange out = decode(json);
        assertThat(out.value).isNull();
        assertThat(out.deadLetter.getReasonCode()).isEqualTo(code);
        assertThat(out.deadLetter.getError()).startsWith(error);
        assertThat(out.deadLetter.getStage()).isEqualTo("changes");
        assertThat(out.deadLetter.getTopic()).isEqualTo("changes");
        assertThat(out.deadLetter.getOffset()).isEqualTo(9L);
        assertThat(StandardCharsets.UTF_8.decode(out.deadLetter.getOriginal()).toString())
                .isEqualTo(json);
    }

    @Test
    void emptyOversizeAndBadAvroAreDeadLettered() {
        assertThat(decode(" ").deadLetter.getReasonCode()).isEqualTo("EMPTY");
        String big =
                "{\"changeId\":\"c\",\"service\":\"s\",\"kind\":\"deploy\",\"time\":1,\"author\":\""
                        + "x".repeat(5000)
                        + "\"}";
        IngestedChange oversize = decode(big);
        assertThat(oversize.deadLetter.getReasonCode()).isEqualTo("OVERSIZE");
        assertThat(oversize.deadLetter.getError()).contains("limit is 4096");
        IngestedChange avro = decode(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(avro.deadLetter.getReasonCode()).isEqualTo("MALFORMED_AVRO");
        assertThat(avro.deadLetter.getError()).startsWith("not an Avro Change");
    }

    @Test
    void anAvroChangeWithABadLinkIsDeadLetteredNamingTheField() throws Exception {
        Change c =
                Change.newBuilder()
                        .setChangeId("c")
                        .setService("s")
                        .setKind(ChangeKind.DEPLOY)
                        .setTime(Instant.EPOCH)
                        .setLink("file:///etc/passwd")
                        .build();
        IngestedChange out = decode(Change.getEncoder().encode(c).array());
        assertThat(out.deadLetter.getReasonCode()).isEqualTo("MALFORMED_AVRO");
        assertThat(out.deadLetter.getError())
                .isEqualTo(
                        "not an Avro Change: link: \"file:///etc/passwd\" is not an http(s) URL");
    }
}
