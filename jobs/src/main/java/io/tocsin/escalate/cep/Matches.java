package io.tocsin.escalate.cep;

import io.tocsin.avro.Severity;
import io.tocsin.config.Durations;
import io.tocsin.escalate.EscalationSignal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The patterns' signals, and the evidence and wording they share. */
final class Matches {

    private Matches() {}

    /** Trigger of a pattern's signals, as the audit trail shows it. */
    static String trigger(String patternName) {
        return "cep:" + patternName;
    }

    /**
     * The signal of pattern {@code patternName} about the incident of {@code last}, the event that
     * completed the match, at its event time.
     */
    static EscalationSignal signal(
            String patternName,
            PatternEvent last,
            Severity severity,
            boolean escalate,
            String reason,
            Map<String, String> evidence) {
        return new EscalationSignal(
                last.incidentId,
                last.time,
                trigger(patternName),
                severity,
                escalate,
                reason,
                evidence);
    }

    /** A signal that raises the incident to at least {@code severity} and pages nobody now. */
    static EscalationSignal raise(
            String patternName,
            PatternEvent last,
            Severity severity,
            String reason,
            Map<String, String> evidence) {
        return signal(patternName, last, severity, false, reason, evidence);
    }

    /** Distinct values in match order, comma-separated. */
    static String joined(List<PatternEvent> events, Function<PatternEvent, String> value) {
        Set<String> out = new LinkedHashSet<>();
        for (PatternEvent e : events) {
            String v = value.apply(e);
            if (v != null) {
                out.add(v);
            }
        }
        return String.join(",", out);
    }

    /** Evidence about a run of events on one service: ids, count, window, service, incidents. */
    static Map<String, String> runOnService(List<PatternEvent> run, Duration window) {
        PatternEvent last = run.get(run.size() - 1);
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("eventIds", joined(run, e -> e.id));
        evidence.put("count", Integer.toString(run.size()));
        evidence.put("window", Durations.format(window));
        evidence.put("domain", last.domain);
        evidence.put("service", last.service);
        evidence.put("incidents", joined(run, e -> e.incidentId));
        evidence.put("alerts", joined(run, PatternEvent::alertLabel));
        return evidence;
    }

    /** "checkout-api in prod", for reasons. */
    static String where(PatternEvent e) {
        return e.domain == null || e.domain.isEmpty() ? e.service : e.service + " in " + e.domain;
    }
}
