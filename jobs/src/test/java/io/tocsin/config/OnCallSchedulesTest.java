package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnCallSchedulesTest {

    static OnCallSchedules parse(String yaml) throws Exception {
        return OnCallSchedules.from(
                new ConfigNode(
                        "policy.yaml",
                        "escalation.schedules",
                        new ObjectMapper(new YAMLFactory()).readTree(yaml)));
    }

    static Optional<String> at(OnCallSchedules s, String id, String instant) {
        return s.onCall(id, Instant.parse(instant).toEpochMilli());
    }

    static final String WEEKLY =
            """
            ops:
              timeZone: Europe/Berlin
              layers:
                - {members: [alice, bob, carol], start: "2026-10-19T09:00", shift: 1w}
            """;

    @Test
    void weeklyRotationHandsOverAtNineLocalAcrossTheDstChange() throws Exception {
        OnCallSchedules s = parse(WEEKLY);
        // Before the first handoff: nobody.
        assertThat(at(s, "ops", "2026-10-19T06:59:59Z")).isEmpty();
        // 09:00 CEST = 07:00Z on 19 Oct: alice.
        assertThat(at(s, "ops", "2026-10-19T07:00:00Z")).contains("alice");
        // DST ends 25 Oct; the handoff on 26 Oct is 09:00 CET = 08:00Z.
        assertThat(at(s, "ops", "2026-10-26T07:59:59Z")).contains("alice");
        assertThat(at(s, "ops", "2026-10-26T08:00:00Z")).contains("bob");
        assertThat(at(s, "ops", "2026-11-02T08:00:00Z")).contains("carol");
        assertThat(at(s, "ops", "2026-11-09T08:00:00Z")).contains("alice");
        assertThat(at(s, "nope", "2026-11-09T08:00:00Z")).isEmpty();
    }

    @Test
    void restrictionsLeaveGapsThatLowerLayersAndOverridesFill() throws Exception {
        OnCallSchedules s =
                parse(
                        """
                        search:
                          timeZone: Europe/Berlin
                          layers:
                            - {members: [night1, night2], start: "2026-10-26T00:00", shift: 12h}
                            - members: [sara]
                              start: "2026-10-26T00:00"
                              shift: 1d
                              restrict: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00"}
                          overrides:
                            - {member: dave, start: 2026-11-03T10:00:00Z, end: 2026-11-03T12:00:00Z}
                        late:
                          timeZone: UTC
                          layers:
                            - members: [owl]
                              start: "2026-10-26T00:00"
                              shift: 1w
                              restrict: {days: [FRI], from: "22:00", to: "06:00"}
                        """);
        // Monday 2 Nov 10:00 Berlin: the business-hours layer wins.
        assertThat(at(s, "search", "2026-11-02T09:00:00Z")).contains("sara");
        // 03:00 Berlin: the 12-hour layer (night1 from 00:00, night2 from 12:00).
        assertThat(at(s, "search", "2026-11-02T02:00:00Z")).contains("night1");
        assertThat(at(s, "search", "2026-11-02T17:00:00Z")).contains("night2");
        // Saturday 10:00: the restricted layer is off.
        assertThat(at(s, "search", "2026-11-07T09:00:00Z")).contains("night1");
        // The override beats every layer.
        assertThat(at(s, "search", "2026-11-03T11:00:00Z")).contains("dave");
        // A window crossing midnight belongs to the day it starts: Friday 22:00 to Saturday 06:00.
        assertThat(at(s, "late", "2026-10-30T23:00:00Z")).contains("owl");
        assertThat(at(s, "late", "2026-10-31T05:59:00Z")).contains("owl");
        assertThat(at(s, "late", "2026-10-31T06:00:00Z")).isEmpty();
        assertThat(at(s, "late", "2026-10-29T23:00:00Z")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "x: {timeZone: Mars/Base, layers: [{members: [a], start: '2026-10-26T00:00'}]}|policy.yaml: escalation.schedules.x.timeZone: unknown time zone 'Mars/Base'",
                "x: {timeZone: UTC, layers: [{members: [], start: '2026-10-26T00:00'}]}|policy.yaml: escalation.schedules.x.layers[0].members: needs at least one member",
                "x: {timeZone: UTC, layers: [{members: [a], start: 'monday'}]}|policy.yaml: escalation.schedules.x.layers[0].start: expected a local date-time like 2026-11-02T09:00, got 'monday'",
                "x: {timeZone: UTC, layers: [{members: [a], start: '2026-10-26T00:00', shift: 0s}]}|policy.yaml: escalation.schedules.x.layers[0].shift: must be greater than zero, got 0s",
                "x: {timeZone: UTC, layers: [{members: [a], start: '2026-10-26T00:00', restrict: {days: [XYZ], from: '09:00', to: '10:00'}}]}|policy.yaml: escalation.schedules.x.layers[0].restrict.days[0]: unknown day 'XYZ' (MON, TUE, WED, THU, FRI, SAT, SUN)",
                "x: {timeZone: UTC, layers: [{members: [a], start: '2026-10-26T00:00'}], overrides: [{member: b, start: '2026-11-02T10:00:00Z', end: '2026-11-02T09:00:00Z'}]}|policy.yaml: escalation.schedules.x.overrides[0].end: must be after start",
                "x: {timeZone: UTC, rotations: []}|policy.yaml: escalation.schedules.x.rotations: unknown field (allowed here: layers, overrides, timeZone)",
            })
    void configErrorsNameTheField(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
