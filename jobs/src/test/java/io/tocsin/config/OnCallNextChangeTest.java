package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the person on call next changes: at handoffs, restriction edges and override edges, only
 * where the answer changes, in the schedule's zone (Europe/Berlin enters summer time on 2027-03-28:
 * a 09:00 daily handoff moves from 08:00Z to 07:00Z).
 */
class OnCallNextChangeTest {

    private static final OnCallSchedules SCHEDULES =
            OnCallSchedulesTest.parse(
                    """
                    shifts:
                      timeZone: UTC
                      layers:
                        - {members: [alice, bob], start: "2026-11-02T00:00", shift: 3h}
                    solo:
                      timeZone: UTC
                      layers:
                        - {members: [alice], start: "2026-11-02T00:00", shift: 3h}
                    office:
                      timeZone: UTC
                      layers:
                        - members: [carol]
                          start: "2026-11-02T00:00"
                          shift: 1d
                          restrict: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00"}
                    covered:
                      timeZone: UTC
                      layers:
                        - {members: [alice, bob], start: "2026-11-02T00:00", shift: 1d}
                      overrides:
                        - {member: dave, start: 2026-11-02T10:00:00Z, end: 2026-11-02T12:00:00Z}
                    berlin:
                      timeZone: Europe/Berlin
                      layers:
                        - {members: [ines, jonas], start: "2027-03-01T09:00", shift: 1d}
                    """);

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource({
        "shifts,  2026-11-02T02:00:00Z, 2026-11-02T03:00:00Z", // alice -> bob
        "shifts,  2026-11-02T03:00:00Z, 2026-11-02T06:00:00Z", // at a handoff: the next one
        "shifts,  2026-11-01T22:00:00Z, 2026-11-02T00:00:00Z", // before the start: nobody -> alice
        "solo,    2026-11-02T02:00:00Z, none", //                 alice hands over to alice
        "office,  2026-11-02T08:00:00Z, 2026-11-02T09:00:00Z", // Mon: nobody -> carol
        "office,  2026-11-02T12:00:00Z, 2026-11-02T17:00:00Z", // carol -> nobody
        "office,  2026-11-06T18:00:00Z, 2026-11-09T09:00:00Z", // Fri evening: over the weekend
        "covered, 2026-11-02T09:00:00Z, 2026-11-02T10:00:00Z", // alice -> dave
        "covered, 2026-11-02T10:30:00Z, 2026-11-02T12:00:00Z", // dave -> alice
        "covered, 2026-11-02T12:00:00Z, 2026-11-03T00:00:00Z", // alice -> bob
        "berlin,  2027-03-27T09:00:00Z, 2027-03-28T07:00:00Z", // 09:00 CEST after the change
    })
    void theNextChangeIsWhereSomeoneElseIsOnCall(String id, String after, String expected) {
        long t = Instant.parse(after).toEpochMilli();
        long until = t + Duration.ofDays(14).toMillis();
        assertThat(
                        SCHEDULES
                                .nextChange(id, t, until)
                                .map(Instant::ofEpochMilli)
                                .map(Instant::toString)
                                .orElse("none"))
                .isEqualTo(expected.equals("none") ? "none" : Instant.parse(expected).toString());
    }
}
