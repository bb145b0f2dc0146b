package io.tocsin.suppress;

import static io.tocsin.testing.Alerts.BEGINNING;
import static io.tocsin.testing.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.Alert;
import io.tocsin.config.InhibitRule;
import io.tocsin.config.LabelMatcher;
import io.tocsin.config.MaintenanceWindow;
import io.tocsin.config.MuteRule;
import io.tocsin.config.Silence;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuppressorTest {

    private static List<LabelMatcher> m(String... matchers) {
        return java.util.Arrays.stream(matchers).map(LabelMatcher::parse).toList();
    }

    private static EffectiveRule always(MuteRule rule) {
        return EffectiveRule.always(rule);
    }

    @ParameterizedTest(name = "{0} on {1}={2} -> {3}")
    @CsvSource({
        "'service=\"db\"', service, db, true",
        "'service=\"db\"', service, web, false",
        "'service!=\"db\"', service, web, true",
        "'service=~\"db|cache\"', service, cache, true",
        "'service=~\"d\"', service, db, false", // anchored
        "'service!~\"d.*\"', service, db, false",
        "'team=\"\"', service, db, true", // a missing label reads as empty
        "'team!~\".+\"', service, db, true",
    })
    void matchersFollowAlertmanager(String matcher, String name, String value, boolean expected) {
        assertThat(LabelMatcher.parse(matcher).matches(Map.of(name, value))).isEqualTo(expected);
    }

    @Test
    void badMatchersAreRejectedWithTheReason() {
        assertThatThrownBy(() -> LabelMatcher.parse("service==db"))
                .hasMessageContaining("cannot parse matcher");
        assertThatThrownBy(() -> LabelMatcher.parse("service=~\"(\""))
                .hasMessageContaining("bad regex");
    }

    @Test
    void aSilenceMutesMatchingAlertsInsideItsIntervalOnly() {
        Silence s =
                new Silence(
                        "s1",
                        m("service=\"users-pg\""),
                        BEGINNING,
                        BEGINNING.plusSeconds(600),
                        "alice",
                        "");
        Suppressor sup = new Suppressor(List.of(always(s)));
        Alert pg = alert("X", "users-pg").build();
        assertThat(sup.mutedBy(pg, BEGINNING.minusMillis(1).toEpochMilli(), List.of())).isNull();
        assertThat(sup.mutedBy(pg, BEGINNING.toEpochMilli(), List.of()))
                .isEqualTo(new Mute("silence:s1", BEGINNING.plusSeconds(600).toEpochMilli()));
        assertThat(sup.mutedBy(pg, BEGINNING.plusSeconds(600).toEpochMilli(), List.of())).isNull();
        assertThat(
                        sup.mutedBy(
                                alert("X", "users-svc").build(),
                                BEGINNING.toEpochMilli(),
                                List.of()))
                .isNull();
    }

    @Test
    void aRuleVersionMutesOnlyWhileInForce() {
        Silence s =
                new Silence(
                        "s1",
                        m("service=\"users-pg\""),
                        BEGINNING,
                        BEGINNING.plusSeconds(3600),
                        "alice",
                        "");
        long from = BEGINNING.plusSeconds(60).toEpochMilli();
        long until = BEGINNING.plusSeconds(120).toEpochMilli();
        Suppressor sup = new Suppressor(List.of(new EffectiveRule("silence:s1", s, from, until)));
        Alert pg = alert("X", "users-pg").build();
        assertThat(sup.mutedBy(pg, from - 1, List.of())).isNull();
        assertThat(sup.mutedBy(pg, from, List.of())).isEqualTo(new Mute("silence:s1", until));
        assertThat(sup.mutedBy(pg, until, List.of())).isNull();
    }

    @Test
    void aRecurringWindowFollowsItsTimeZoneAndCrossesMidnight() {
        // Saturdays 23:00 Berlin time for 2 hours: 2026-11-07 22:00Z to 2026-11-08 00:00Z.
        MaintenanceWindow w =
                new MaintenanceWindow(
                        "patch",
                        m("service=\"users-pg\""),
                        null,
                        null,
                        Set.of(DayOfWeek.SATURDAY),
                        LocalTime.of(23, 0),
                        Duration.ofHours(2),
                        ZoneId.of("Europe/Berlin"),
                        "");
        Suppressor sup = new Suppressor(List.of(always(w)));
        Alert pg = alert("X", "users-pg").build();
        assertThat(sup.mutedBy(pg, Instant.parse("2026-11-07T21:59:59Z").toEpochMilli(), List.of()))
                .isNull();
        assertThat(sup.mutedBy(pg, Instant.parse("2026-11-07T23:30:00Z").toEpochMilli(), List.of()))
                .isEqualTo(
                        new Mute(
                                "maintenance:patch",
                                Instant.parse("2026-11-08T00:00:00Z").toEpochMilli()));
        assertThat(sup.mutedBy(pg, Instant.parse("2026-11-08T00:00:00Z").toEpochMilli(), List.of()))
                .isNull();
        assertThat(sup.mutedBy(pg, Instant.parse("2026-11-14T22:00:00Z").toEpochMilli(), List.of()))
                .isNotNull();
    }

    @Test
    void inhibitionNeedsAFiringSourceWithEqualLabels() {
        InhibitRule r =
                new InhibitRule(
                        "crit-over-warn",
                        m("severity=\"critical\""),
                        m("severity=\"warning\""),
                        List.of("cluster", "service"));
        Suppressor sup = new Suppressor(List.of(always(r)));
        Alert warn = alert("Latency", "users-svc").label("severity", "warning").build();
        Alert critSame = alert("Errors", "users-svc").label("severity", "critical").build();
        Alert critOther = alert("Errors", "users-pg").label("severity", "critical").build();
        long t = BEGINNING.toEpochMilli();
        assertThat(sup.mutedBy(warn, t, List.of())).isNull();
        assertThat(sup.mutedBy(warn, t, List.of(critOther))).as("service differs").isNull();
        assertThat(sup.mutedBy(warn, t, List.of(critSame)))
                .isEqualTo(new Mute("inhibit:crit-over-warn", Long.MAX_VALUE));
    }

    @Test
    void anAlertMatchingBothSidesIsNotInhibitedByAnotherSuchAlert() {
        InhibitRule r =
                new InhibitRule(
                        "any",
                        m("alertname=~\"Node.*\""),
                        m("alertname=~\"Node.*\""),
                        List.of("cluster"));
        Suppressor sup = new Suppressor(List.of(always(r)));
        Alert a = alert("NodeDown", "n1").build();
        Alert b = alert("NodeDown", "n2").build();
        assertThat(sup.mutedBy(a, BEGINNING.toEpochMilli(), List.of(b))).isNull();
        assertThat(sup.mutedBy(a, BEGINNING.toEpochMilli(), List.of(a)))
                .as("never itself")
                .isNull();
    }

    @Test
    void maintenanceComesBeforeSilencesAndInhibition() {
        Silence s =
                new Silence(
                        "s", m("service=\"db\""), BEGINNING, BEGINNING.plusSeconds(60), "a", "");
        MaintenanceWindow w =
                new MaintenanceWindow(
                        "w",
                        m("service=\"db\""),
                        BEGINNING,
                        BEGINNING.plusSeconds(60),
                        null,
                        null,
                        null,
                        ZoneId.of("UTC"),
                        "");
        Suppressor sup = new Suppressor(List.of(always(s), always(w)));
        assertThat(
                        sup.mutedBy(alert("X", "db").build(), BEGINNING.toEpochMilli(), List.of())
                                .ruleKey())
                .isEqualTo("maintenance:w");
    }
}
