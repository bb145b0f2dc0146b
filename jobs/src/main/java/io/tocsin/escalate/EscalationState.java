package io.tocsin.escalate;

import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * What the escalate stage remembers about one incident (a Flink POJO in keyed state). Bounded: the
 * lists are capped ({@link DowngradeApprovals#MAX_PENDING}, {@link
 * IncidentCommands#MAX_REMEMBERED_COMMANDS}), only the last handover is kept (at most 4,000
 * characters of text), the classification is at most about 1 KB, and the whole state is dropped
 * {@code stateTtl} after the last input of a closed incident.
 *
 * <p>Status and severity are stored as their names, the format checkpoints already hold; the logic
 * reads and writes them through the typed accessors ({@link #status()}, {@link #severity()}).
 */
public class EscalationState {

    public String incidentId;
    public String domain;
    public String title;
    public String rootCause;
    public List<String> services = new ArrayList<>();
    public int alertCount;
    public int activeAlertCount;

    /** OPEN, ACKNOWLEDGED, RESOLVED or MERGED. */
    public String status = "OPEN";

    /** The incident's severity as this stage decided it (what every output event carries). */
    public String severity;

    /** The correlator's severity (the most severe member alert). */
    public String computedSeverity;

    /**
     * The current severity was set by an automatic trigger (a downgrade needs an override role).
     */
    public boolean severitySetByPolicy;

    public long openedAt;
    public long firstAlertAt;

    /** Start of the current response period: opened, or reopened. SLAs count from here. */
    public long periodStart;

    public long lastInputAt;
    public long seq;

    public String chainId;

    /** Index of the tier paged last in the chain (-1: none yet), and completed loops. */
    public int tier = -1;

    public int loop;

    /** When the paged tier's ack timeout expires (Long.MAX_VALUE: no timer). */
    public long tierDeadline = Long.MAX_VALUE;

    /** Routing keys paged in the current period (acknowledge/resolve go to all of them). */
    public List<String> pagedKeys = new ArrayList<>();

    public boolean ackWarned;
    public boolean ackBreached;
    public boolean resolveWarned;
    public boolean resolveBreached;

    public String acknowledgedBy;
    public String assignee;

    /** The target (policy name) the paged tier reached, and the person it paged there. */
    public String pagedVia;

    public String pagedPerson;

    /** When the paged target's rotation next hands over (Long.MAX_VALUE: not watched). */
    public long rotationAt = Long.MAX_VALUE;

    /** The last handover recorded on the incident (null: none); at most about 4 KB. */
    public RecordedHandover handover;

    /** Automatic triggers that already fired in this period (each fires once). */
    public List<String> fired = new ArrayList<>();

    /** Downgrades waiting for a second person's approval. */
    public List<PendingDowngrade> pending = new ArrayList<>();

    /**
     * The member alerts' runbook links (http(s), at most {@link
     * CatalogContext#MAX_ALERT_RUNBOOKS}), for the catalog context of pages.
     */
    public List<String> runbooks = new ArrayList<>();

    /** Ids of the latest commands, so a re-delivered command is applied once. */
    public List<String> recentCommands = new ArrayList<>();

    /**
     * What the incident turned out to be (fixed, false-positive, duplicate; null: not said), from a
     * RESOLVE or CLASSIFY; a reopen clears it. At most 14 characters.
     */
    public String disposition;

    /** Impact class from CLASSIFY (outage, degradation, none; null: not said). */
    public String impact;

    /**
     * Classification tags from CLASSIFY, sorted and distinct: at most 16 of 64 characters
     * (ingest.ClassificationFields), so about 1 KB.
     */
    public List<String> tags = new ArrayList<>();

    public IncidentStatus status() {
        return IncidentStatus.valueOf(status);
    }

    public void status(IncidentStatus s) {
        status = s.name();
    }

    public Severity severity() {
        return Severity.valueOf(severity);
    }

    public void severity(Severity s) {
        severity = s.name();
    }

    public void computedSeverity(Severity s) {
        computedSeverity = s.name();
    }

    public boolean isOpen() {
        IncidentStatus s = status();
        return s == IncidentStatus.OPEN || s == IncidentStatus.ACKNOWLEDGED;
    }

    /** A handover as recorded: who, when, and its four lists (limits: ingest.HandoverFields). */
    public static class RecordedHandover {
        public String by;
        public String commandId;
        public long at;
        public List<String> hypotheses = new ArrayList<>();
        public List<String> actionsTaken = new ArrayList<>();
        public List<String> knownDependencies = new ArrayList<>();
        public List<String> nextSteps = new ArrayList<>();

        public RecordedHandover() {}
    }

    /** A downgrade request awaiting approval. */
    public static class PendingDowngrade {
        public String commandId;
        public String requestedBy;
        public String role;
        public String targetSeverity;
        public String reason;
        public long requestedAt;

        public PendingDowngrade() {}

        public Severity target() {
            return Severity.valueOf(targetSeverity);
        }

        public void target(Severity s) {
            targetSeverity = s.name();
        }
    }
}
