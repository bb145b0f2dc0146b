package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On-call schedules, table-driven: each row asks who is on call at an instant. Instants are UTC;
 * the comments give the schedule's local time. Europe/Berlin leaves summer time on 2026-10-25 and
 * enters it on 2027-03-28.
 */
class OnCallSchedulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static OnCallSchedules parse(String yaml) {
        try {
            return OnCallSchedules.from(new ConfigNode("oncall.yaml", "", YAML.readTree(yaml)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String who(OnCallSchedules s, String id, String instant) {
        return s.onCall(id, Instant.parse(instant).toEpochMilli()).orElse("nobody");
    }

    private static final OnCallSchedules DAILY =
            parse(
                    """
                    ops:
                      timeZone: UTC
                      layers:
                        - members: [alice, bob, carol]
                          start: "2026-11-02T09:00"
                          shift: 1d
                    """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-02T08:59:59.999Z, nobody",
        "2026-11-02T09:00:00Z,     alice",
        "2026-11-03T08:59:59.999Z, alice",
        "2026-11-03T09:00:00Z,     bob",
        "2026-11-04T09:00:00Z,     carol",
        "2026-11-05T09:00:00Z,     alice",
        "2026-12-01T12:00:00Z,     carol", // day 29
    })
    void membersRotateInOrderFromTheStart(String at, String expected) {
        assertThat(who(DAILY, "ops", at)).isEqualTo(expected);
    }

    private static final OnCallSchedules WEEKLY_BERLIN =
            parse(
                    """
                    payments-primary:
                      timeZone: Europe/Berlin
                      layers:
                        - members: [alice, bob, carol]
                          start: "2026-10-12T09:00"
                          shift: 1w
                    """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-10-19T06:59:59Z, alice", // Mon 08:59 CEST
        "2026-10-19T07:00:00Z, bob", //   Mon 09:00 CEST
        "2026-10-26T07:00:00Z, bob", //   Mon 08:00 CET: a 168h shift would hand off here
        "2026-10-26T07:59:59Z, bob", //   Mon 08:59 CET
        "2026-10-26T08:00:00Z, carol", // Mon 09:00 CET
        "2027-03-29T06:59:59Z, carol", // Mon 08:59 CEST, 24 weeks in, after the spring change
        "2027-03-29T07:00:00Z, alice", // Mon 09:00 CEST
    })
    void weeklyHandoffsStayAtNineLocalAcrossDaylightSaving(String at, String expected) {
        assertThat(who(WEEKLY_BERLIN, "payments-primary", at)).isEqualTo(expected);
    }

    @Test
    void handoffInstantsFollowLocalTime() {
        OnCallLayer layer =
                WEEKLY_BERLIN.schedule("payments-primary").orElseThrow().layers().get(0);
        assertThat(layer.handoff(0, BERLIN)).isEqualTo(Instant.parse("2026-10-12T07:00:00Z"));
        assertThat(layer.handoff(1, BERLIN)).isEqualTo(Instant.parse("2026-10-19T07:00:00Z"));
        assertThat(layer.handoff(2, BERLIN)).isEqualTo(Instant.parse("2026-10-26T08:00:00Z"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-10-24T18:59:59Z, nobody", // before start (Sat 20:59 CEST)
        "2026-10-24T19:00:00Z, alice", //  Sat 21:00 CEST
        "2026-10-25T06:59:59Z, alice", //  12h later in absolute time, not 09:00 local
        "2026-10-25T07:00:00Z, bob", //    Sun 08:00 CET
        "2026-10-25T19:00:00Z, alice",
    })
    void hourShiftsAreAbsoluteDurations(String at, String expected) {
        OnCallSchedules s =
                parse(
                        """
                        nights:
                          timeZone: Europe/Berlin
                          layers:
                            - members: [alice, bob]
                              start: "2026-10-24T21:00"
                              shift: 12h
                        """);
        assertThat(who(s, "nights", at)).isEqualTo(expected);
    }

    private static final OnCallSchedules BUSINESS_HOURS_AND_FRIDAY_NIGHT =
            parse(
                    """
                    db:
                      timeZone: Europe/Berlin
                      layers:
                        - members: [alice, bob]
                          start: "2026-11-02T09:00"
                          shift: 1w
                          restrict: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00"}
                        - members: [nina]
                          start: "2026-11-02T00:00"
                          shift: 1w
                          restrict: {days: [FRI], from: "22:00", to: "06:00"}
                    """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-02T08:00:00Z, alice", //  Mon 09:00 CET, first moment inside
        "2026-11-02T15:59:59Z, alice", //  Mon 16:59
        "2026-11-02T16:00:00Z, nobody", // Mon 17:00, outside
        "2026-11-06T07:59:59Z, nobody", // Fri 08:59
        "2026-11-06T12:00:00Z, alice", //  Fri 13:00
        "2026-11-06T20:59:59Z, nobody", // Fri 21:59
        "2026-11-06T21:00:00Z, nina", //   Fri 22:00, the night crosses midnight
        "2026-11-07T04:59:59Z, nina", //   Sat 05:59
        "2026-11-07T05:00:00Z, nobody", // Sat 06:00
        "2026-11-07T12:00:00Z, nobody", // Sat 13:00: the weekend gap
        "2026-11-07T21:30:00Z, nobody", // Sat 22:30: Saturday nights are not listed
        "2026-11-09T08:00:00Z, bob", //    Mon 09:00, next week's turn
    })
    void restrictionsMaskTheRotation(String at, String expected) {
        assertThat(who(BUSINESS_HOURS_AND_FRIDAY_NIGHT, "db", at)).isEqualTo(expected);
    }

    private static final OnCallSchedules LAYERED_WITH_OVERRIDES =
            parse(
                    """
                    payments-primary:
                      timeZone: Europe/Berlin
                      layers:
                        - members: [alice, bob]
                          start: "2026-11-02T09:00"
                          shift: 1w
                        - members: [nina, omar]
                          start: "2026-11-02T12:00"
                          shift: 1d
                          restrict: {from: "22:00", to: "06:00"}
                      overrides:
                        - member: dave
                          start: 2026-11-20T18:00:00Z
                          end: 2026-11-21T09:00:00Z
                        - member: erin
                          start: 2026-11-20T20:00:00Z
                          end: 2026-11-20T21:00:00Z
                        - member: frank
                          start: 2026-11-01T12:00:00Z
                          end: 2026-11-01T13:00:00Z
                    """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-02T12:00:00Z, alice", //  Mon 13:00: only the first layer
        "2026-11-02T21:00:00Z, nina", //   Mon 22:00: the later layer wins where it has someone
        "2026-11-03T04:59:59Z, nina", //   Tue 05:59: her turn runs noon to noon
        "2026-11-03T21:00:00Z, omar", //   Tue 22:00: the night layer's next turn
        "2026-11-03T05:00:00Z, alice", //  Tue 06:00: back to the first layer
        "2026-11-20T17:59:59Z, alice", //  Fri 18:59, alice's second week
        "2026-11-20T18:00:00Z, dave", //   an override beats every layer
        "2026-11-20T20:30:00Z, erin", //   a later override beats an earlier one
        "2026-11-20T21:00:00Z, dave",
        "2026-11-20T23:00:00Z, dave", //   ... including the night layer
        "2026-11-21T09:00:00Z, alice", //  the override's end is exclusive
        "2026-11-01T12:30:00Z, frank", //  an override works before any layer starts
        "2026-11-01T13:00:00Z, nobody",
    })
    void laterLayersAndOverridesTakePrecedence(String at, String expected) {
        assertThat(who(LAYERED_WITH_OVERRIDES, "payments-primary", at)).isEqualTo(expected);
    }

    @Test
    void idsAreInFileOrderAndUnknownSchedulesHaveNobody() {
        OnCallSchedules s =
                parse(
                        """
                        zeta: {timeZone: UTC, layers: [{members: [a], start: "2026-01-01T00:00", shift: 1d}]}
                        alpha: {timeZone: UTC, layers: [{members: [b], start: "2026-01-01T00:00", shift: 1d}]}
                        """);
        assertThat(s.ids()).containsExactly("zeta", "alpha");
        assertThat(s.has("alpha")).isTrue();
        assertThat(s.has("omega")).isFalse();
        assertThat(s.onCall("omega", Instant.parse("2026-06-01T00:00:00Z").toEpochMilli()))
                .isEqualTo(Optional.empty());
        assertThat(OnCallSchedules.empty().ids()).isEmpty();
        assertThat(OnCallSchedules.from(new ConfigNode("policy.yaml", "onCall", null)))
                .isEqualTo(OnCallSchedules.empty());
        assertThatThrownBy(() -> s.ids().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void isSerializableForAFlinkOperator() throws Exception {
        OnCallSchedules s = LAYERED_WITH_OVERRIDES;
        OnCallSchedules back =
                InstantiationUtil.deserializeObject(
                        InstantiationUtil.serializeObject(s), getClass().getClassLoader());
        assertThat(back).isEqualTo(s);
        assertThat(who(back, "payments-primary", "2026-11-02T21:00:00Z")).isEqualTo("nina");
    }

    private static final String LAYER =
            """
            payments-primary:
              timeZone: Europe/Berlin
              layers:
                - members: [alice]
                  start: "2026-11-02T09:00"
                  shift: 1w
            """;

    static Stream<Arguments> configErrors() {
        String at = "oncall.yaml: payments-primary.";
        return Stream.of(
                Arguments.of(
                        LAYER.replace("Europe/Berlin", "Mars/Olympus"),
                        at
                                + "timeZone: unknown time zone 'Mars/Olympus' (e.g. Europe/Berlin, UTC)"),
                Arguments.of(
                        LAYER.replace("  timeZone: Europe/Berlin\n", ""),
                        at + "timeZone: required"),
                Arguments.of(
                        LAYER.replace("[alice]", "[]"),
                        at + "layers[0].members: name at least one member"),
                Arguments.of(
                        LAYER.replace("shift: 1w", "shift: 0s"),
                        at + "layers[0].shift: must be greater than zero, got 0s"),
                Arguments.of(
                        LAYER.replace("      shift: 1w\n", ""), at + "layers[0].shift: required"),
                Arguments.of(
                        LAYER.replace("shift: 1w", "shift: weekly"),
                        at
                                + "layers[0].shift: cannot parse 'weekly' as a duration (use e.g."
                                + " 30s, 5m, 1h, 7d)"),
                Arguments.of(
                        LAYER.replace("shift: 1w", "shfit: 1w"),
                        at
                                + "layers[0].shfit: unknown field (allowed here: members, restrict,"
                                + " shift, start)"),
                Arguments.of(
                        LAYER.replace("\"2026-11-02T09:00\"", "2026-11-02T09:00:00Z"),
                        at
                                + "layers[0].start: expected a local date-time like"
                                + " 2026-11-02T09:00 (no offset: the schedule's timeZone applies),"
                                + " found '2026-11-02T09:00:00Z'"),
                Arguments.of(
                        LAYER + "      restrict: {days: [MON, FUNDAY]}\n",
                        at + "layers[0].restrict.days[1]: unknown day 'FUNDAY' (MON..SUN)"),
                Arguments.of(
                        LAYER + "      restrict: {days: []}\n",
                        at + "layers[0].restrict.days: name at least one day (MON..SUN)"),
                Arguments.of(
                        LAYER + "      restrict: {from: \"09:00\"}\n",
                        at
                                + "layers[0].restrict.to: give both from and to, or neither for whole days"),
                Arguments.of(
                        LAYER + "      restrict: {from: \"25:00\", to: \"06:00\"}\n",
                        at
                                + "layers[0].restrict.from: expected a local time like 09:00, found '25:00'"),
                Arguments.of(
                        LAYER + "      restrict: {from: \"09:00\", to: \"09:00\"}\n",
                        at
                                + "layers[0].restrict.to: must differ from from (omit both for whole"
                                + " days)"),
                Arguments.of(
                        LAYER + "      restrict: {days: [MON], hours: 8}\n",
                        at
                                + "layers[0].restrict.hours: unknown field (allowed here: days, from,"
                                + " to)"),
                Arguments.of(
                        "payments-primary:\n  timeZone: UTC\n  layers: []\n",
                        at + "layers: name at least one layer"),
                Arguments.of(
                        LAYER
                                + "  overrides:\n"
                                + "    - {member: dave, start: 2026-11-21T09:00:00Z, end:"
                                + " 2026-11-21T09:00:00Z}\n",
                        at + "overrides[0].end: must be after start"),
                Arguments.of(
                        LAYER + "  overrides:\n    - {member: dave, start: tomorrow, end: never}\n",
                        at + "overrides[0].start: cannot parse 'tomorrow' as an RFC 3339 time"),
                Arguments.of(
                        LAYER + "  escalate: true\n",
                        at + "escalate: unknown field (allowed here: layers, overrides, timeZone)"),
                Arguments.of(
                        "payments-primary:\n",
                        at.substring(0, at.length() - 1)
                                + ": expected a schedule with timeZone and layers"),
                Arguments.of(
                        "- payments-primary\n", "oncall.yaml: expected a mapping, found array"));
    }

    @ParameterizedTest
    @MethodSource("configErrors")
    void errorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
