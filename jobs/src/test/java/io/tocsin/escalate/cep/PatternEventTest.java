package io.tocsin.escalate.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatternEventTest {

    @Test
    void keepsOnlyEventsAboutOneAlertWithTheAlertsSeverityAndFlapping() {
        List<IncidentEvent> events =
                new IncidentStory()
                        .alert(IncidentEventType.ALERT_ADDED, "inc-1", Severity.SEV2)
                        .incidentSeverity(Severity.SEV1)
                        .flapping()
                        .at("02:00")
                        .events();
        PatternEvent p = PatternEvent.of(events.get(0));
        assertThat(p.id).isEqualTo("inc-1/1");
        assertThat(p.time).isEqualTo(IncidentStory.at("02:00"));
        assertThat(p.alertSeverity).isEqualTo(Severity.SEV2);
        assertThat(p.incidentSeverity).isEqualTo(Severity.SEV1);
        assertThat(p.flapping).isTrue();
        assertThat(p.service).isEqualTo("checkout");
        assertThat(p.isFiring()).isTrue();

        IncidentEvent escalated =
                IncidentEvent.newBuilder(events.get(0))
                        .setType(IncidentEventType.SEVERITY_CHANGED)
                        .build();
        assertThat(PatternEvent.of(escalated)).isNull();
    }

    @Test
    void anUnreadableAlertSeverityIsNoSeverity() {
        IncidentEvent e =
                new IncidentStory()
                        .added("inc-1", "checkout", Severity.SEV3, "02:00")
                        .events()
                        .get(0);
        e.getEvidence().put("alertSeverity", "loud");
        e.setAlertService(" ");
        PatternEvent p = PatternEvent.of(e);
        assertThat(p.alertSeverity).isNull();
        assertThat(p.service).isNull();
        assertThat(p.flapping).isFalse();
    }

    @Test
    void commandsFirstAtTheSameTime() {
        PatternEvent alert =
                PatternEvent.of(
                        new IncidentStory()
                                .added("inc-a", "checkout", Severity.SEV1, "02:00")
                                .events()
                                .get(0));
        PatternEvent downgrade = new PatternEvent();
        downgrade.id = "cmd-z";
        downgrade.incidentId = "inc-z";
        downgrade.commandType = CommandType.DOWNGRADE;
        assertThat(new PatternKeys.SameTimeOrder().compare(downgrade, alert)).isNegative();
    }
}
