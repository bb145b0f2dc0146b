package io.tocsin.escalate.cep;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import io.tocsin.evidence.EvidenceKeys;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test story: incident events about alerts and commands, written in time order of the day
 * 2026-11-02 (UTC). Each incident's events get consecutive seqs, as the correlator gives them.
 */
final class IncidentStory {

    static final String DAY = "2026-11-02";

    private final List<IncidentEvent> events = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();
    private final Map<String, Long> seqs = new HashMap<>();

    /** Epoch millis of {@code hhmm} ("02:09" or "02:09:59") on the story's day. */
    static long at(String time) {
        return LocalTime.parse(time)
                .atDate(LocalDate.parse(DAY))
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }

    /** An alert event on {@code incident} about an alert of {@code alertSeverity}. */
    Alert alert(IncidentEventType type, String incident, Severity alertSeverity) {
        return new Alert(type, incident, alertSeverity);
    }

    IncidentStory opened(String incident, String service, Severity severity, String time) {
        return alert(IncidentEventType.OPENED, incident, severity).on(service).at(time);
    }

    IncidentStory added(String incident, String service, Severity severity, String time) {
        return alert(IncidentEventType.ALERT_ADDED, incident, severity).on(service).at(time);
    }

    IncidentStory command(
            String id,
            String incident,
            CommandType type,
            Severity target,
            String actor,
            String time) {
        commands.add(
                Command.newBuilder()
                        .setCommandId(id)
                        .setIncidentId(incident)
                        .setType(type)
                        .setActor(actor)
                        .setRole("incident-commander")
                        .setReason("test")
                        .setIssuedAt(Instant.ofEpochMilli(at(time)))
                        .setTargetSeverity(target)
                        .build());
        return this;
    }

    /** Also adds {@code e} again unchanged, as a replay would. */
    IncidentStory replayLast() {
        events.add(IncidentEvent.newBuilder(events.get(events.size() - 1)).build());
        return this;
    }

    List<IncidentEvent> events() {
        List<IncidentEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(IncidentEvent::getEventTime));
        return sorted;
    }

    List<Command> commands() {
        List<Command> sorted = new ArrayList<>(commands);
        sorted.sort(Comparator.comparing(Command::getIssuedAt));
        return sorted;
    }

    /** One event being written: defaults are domain prod, service checkout, not flapping. */
    final class Alert {
        private final IncidentEventType type;
        private final String incident;
        private final Severity alertSeverity;
        private Severity incidentSeverity;
        private String domain = "prod";
        private String service = "checkout";
        private boolean flapping;

        private Alert(IncidentEventType type, String incident, Severity alertSeverity) {
            this.type = type;
            this.incident = incident;
            this.alertSeverity = alertSeverity;
            this.incidentSeverity =
                    alertSeverity == Severity.UNKNOWN ? Severity.SEV4 : alertSeverity;
        }

        Alert on(String service) {
            this.service = service;
            return this;
        }

        Alert in(String domain) {
            this.domain = domain;
            return this;
        }

        Alert incidentSeverity(Severity s) {
            this.incidentSeverity = s;
            return this;
        }

        Alert flapping() {
            this.flapping = true;
            return this;
        }

        IncidentStory at(String time) {
            long seq = seqs.merge(incident, 1L, Long::sum);
            Map<String, String> evidence = new TreeMap<>();
            evidence.put(EvidenceKeys.ALERT_SEVERITY, alertSeverity.name());
            if (flapping) {
                evidence.put(EvidenceKeys.FLAPPING, "true");
            }
            String alertName = "Alert" + seq + "On" + service;
            events.add(
                    IncidentEvent.newBuilder()
                            .setEventId(incident + "/" + seq)
                            .setIncidentId(incident)
                            .setSeq(seq)
                            .setType(type)
                            .setEventTime(Instant.ofEpochMilli(IncidentStory.at(time)))
                            .setDomain(domain)
                            .setSeverity(incidentSeverity)
                            .setStatus(IncidentStatus.OPEN)
                            .setServices(List.of(service))
                            .setFingerprint("fp-" + incident + "-" + seq)
                            .setAlertName(alertName)
                            .setAlertService(service)
                            .setEvidence(evidence)
                            .build());
            return IncidentStory.this;
        }
    }
}
