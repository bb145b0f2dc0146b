package io.tocsin.gateway;

import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.IncidentStatus;
import io.tocsin.avro.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the incident board shows, folded from the incident-events topic (and the alerts topic for
 * the member alerts' labels and annotations). One writer (the feed), many readers (page renders).
 * Events are applied in seq order per incident; a repeated (incidentId, seq), as an at-least-once
 * replay produces, is dropped. Resolved and merged incidents are kept up to a bound, the newest.
 */
final class BoardState {

    static final int MAX_EVENTS_PER_INCIDENT = 2_000;
    static final int MAX_LINK_REASONS = 12;

    /** A member alert as the incident's events describe it. */
    static final class Member {
        final String fingerprint;
        String alertName;
        String service;
        boolean firing = true;
        long joinedAt;
        long changedAt;

        Member(String fingerprint) {
            this.fingerprint = fingerprint;
        }
    }

    /** An APPROVAL_REQUESTED not yet followed by its approval. */
    record Pending(String commandId, String requestedBy, String targetSeverity, long at) {}

    /** One incident as the board knows it. */
    static final class Incident {
        final String id;
        IncidentEvent last;
        final List<IncidentEvent> events = new ArrayList<>();
        int eventsDropped;
        final Map<String, Member> members = new LinkedHashMap<>();
        Map<String, String> rootCauseEvidence = Map.of();
        final List<String> linkReasons = new ArrayList<>();
        Integer tier;
        String pagedTarget;
        long pagedAt;
        String acknowledgedBy;
        Long acknowledgedAt;
        final Map<String, Pending> pending = new LinkedHashMap<>();
        long resolvedAt;

        Incident(String id) {
            this.id = id;
        }

        boolean open() {
            IncidentStatus s = last.getStatus();
            return s == IncidentStatus.OPEN || s == IncidentStatus.ACKNOWLEDGED;
        }

        long openedAt() {
            java.time.Instant o = last.getOpenedAt();
            return o != null
                    ? o.toEpochMilli()
                    : events.isEmpty() ? last.getEventTime().toEpochMilli() : firstTime();
        }

        private long firstTime() {
            return events.get(0).getEventTime().toEpochMilli();
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Incident> incidents = new HashMap<>();
    private final Map<String, Alert> alerts;
    private final int maxClosed;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private long latestEventTime = Long.MIN_VALUE;
    private long wallAtLatest;
    private long eventsApplied;

    /**
     * @param maxClosed resolved/merged incidents kept (the oldest leave first)
     * @param maxAlerts member alerts' latest notifications kept (least recently seen leave first)
     */
    BoardState(int maxClosed, int maxAlerts) {
        this.maxClosed = maxClosed;
        this.alerts =
                new LinkedHashMap<>(1024, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Alert> e) {
                        return size() > maxAlerts;
                    }
                };
    }

    /** Called with the incident id after each applied event (on the feed's thread). */
    void listen(Consumer<String> listener) {
        listeners.add(listener);
    }

    void unlisten(Consumer<String> listener) {
        listeners.remove(listener);
    }

    void alert(Alert a) {
        lock.writeLock().lock();
        try {
            alerts.remove(a.getFingerprint());
            alerts.put(a.getFingerprint(), a);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies one event; false when it was a repeat (or older than what is shown). */
    boolean apply(IncidentEvent e) {
        lock.writeLock().lock();
        try {
            Incident in = incidents.computeIfAbsent(e.getIncidentId(), Incident::new);
            if (in.last != null && e.getSeq() <= in.last.getSeq()) {
                return false;
            }
            fold(in, e);
            eventsApplied++;
            if (e.getEventTime().toEpochMilli() > latestEventTime) {
                latestEventTime = e.getEventTime().toEpochMilli();
                wallAtLatest = System.currentTimeMillis();
            }
            if (!in.open()) {
                evictClosed();
            }
        } finally {
            lock.writeLock().unlock();
        }
        for (Consumer<String> l : listeners) {
            l.accept(e.getIncidentId());
        }
        return true;
    }

    private static void fold(Incident in, IncidentEvent e) {
        in.last = e;
        in.events.add(e);
        if (in.events.size() > MAX_EVENTS_PER_INCIDENT) {
            // Keep the opening events and the newest; the middle of a long storm goes first.
            in.events.remove(10);
            in.eventsDropped++;
        }
        String fp = e.getFingerprint();
        IncidentEventType t = e.getType();
        if (fp != null) {
            switch (t) {
                case OPENED, ALERT_ADDED, REOPENED -> {
                    Member m = in.members.computeIfAbsent(fp, Member::new);
                    if (m.joinedAt == 0) {
                        m.joinedAt = e.getEventTime().toEpochMilli();
                    }
                    m.firing = true;
                    m.changedAt = e.getEventTime().toEpochMilli();
                    if (e.getAlertName() != null) {
                        m.alertName = e.getAlertName();
                    }
                    if (e.getAlertService() != null) {
                        m.service = e.getAlertService();
                    }
                }
                case ALERT_RESOLVED -> {
                    Member m = in.members.computeIfAbsent(fp, Member::new);
                    m.firing = false;
                    m.changedAt = e.getEventTime().toEpochMilli();
                    if (e.getAlertName() != null && m.alertName == null) {
                        m.alertName = e.getAlertName();
                    }
                    if (e.getAlertService() != null && m.service == null) {
                        m.service = e.getAlertService();
                    }
                }
                default -> {}
            }
        }
        Map<String, String> ev = e.getEvidence();
        switch (t) {
            case OPENED, ROOT_CAUSE_CHANGED -> {
                if (ev != null && !ev.isEmpty()) {
                    in.rootCauseEvidence = new TreeMap<>(ev);
                }
            }
            case ESCALATED -> {
                in.tier = e.getEscalationTier();
                in.pagedTarget = e.getTarget();
                in.pagedAt = e.getEventTime().toEpochMilli();
            }
            case ACKNOWLEDGED -> {
                if (in.acknowledgedAt == null) {
                    in.acknowledgedAt = e.getEventTime().toEpochMilli();
                    in.acknowledgedBy = e.getActor();
                }
            }
            case APPROVAL_REQUESTED -> {
                String id = ev == null ? null : ev.get("commandId");
                if (id != null) {
                    in.pending.put(
                            id,
                            new Pending(
                                    id,
                                    e.getActor(),
                                    ev.getOrDefault("targetSeverity", ev.get("to")),
                                    e.getEventTime().toEpochMilli()));
                }
            }
            case SEVERITY_CHANGED, COMMAND_REJECTED -> {
                String id = ev == null ? null : ev.get("commandId");
                if (id != null) {
                    in.pending.remove(id);
                }
            }
            case RESOLVED, MERGED -> in.resolvedAt = e.getEventTime().toEpochMilli();
            case REOPENED -> in.resolvedAt = 0;
            default -> {}
        }
        if (ev != null && ev.get("links") != null && t == IncidentEventType.ALERT_ADDED) {
            in.linkReasons.add(ev.get("links"));
            if (in.linkReasons.size() > MAX_LINK_REASONS) {
                in.linkReasons.remove(0);
            }
        }
    }

    private void evictClosed() {
        long closed = incidents.values().stream().filter(i -> !i.open()).count();
        if (closed <= maxClosed) {
            return;
        }
        incidents.values().stream()
                .filter(i -> !i.open())
                .sorted(Comparator.comparingLong(i -> i.resolvedAt))
                .limit(closed - maxClosed)
                .map(i -> i.id)
                .toList()
                .forEach(incidents::remove);
    }

    /**
     * The board's clock: the newest event time seen, moved on by the wall time since it was seen.
     * Live this is the wall clock; during a replay of old alerts it is the replay's time, so ages
     * and SLA clocks read as they did when the alerts happened.
     */
    long now() {
        lock.readLock().lock();
        try {
            if (latestEventTime == Long.MIN_VALUE) {
                return System.currentTimeMillis();
            }
            return latestEventTime + (System.currentTimeMillis() - wallAtLatest);
        } finally {
            lock.readLock().unlock();
        }
    }

    long eventsApplied() {
        lock.readLock().lock();
        try {
            return eventsApplied;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code f} under the read lock (renders read the incidents through it). */
    <T> T read(Function<View, T> f) {
        lock.readLock().lock();
        try {
            return f.apply(new View());
        } finally {
            lock.readLock().unlock();
        }
    }

    static final Comparator<Incident> MOST_SEVERE_FIRST =
            Comparator.<Incident>comparingInt(i -> rank(i.last.getSeverity()))
                    .thenComparing(i -> i.acknowledgedAt != null)
                    .thenComparingLong(Incident::openedAt)
                    .thenComparing(i -> i.id);

    static int rank(Severity s) {
        return s == null || s == Severity.UNKNOWN ? 99 : s.ordinal();
    }

    /** Read access to the state; valid only inside {@link #read}. */
    final class View {
        List<Incident> open() {
            List<Incident> out = new ArrayList<>();
            for (Incident i : incidents.values()) {
                if (i.last != null && i.open()) {
                    out.add(i);
                }
            }
            out.sort(MOST_SEVERE_FIRST);
            return out;
        }

        List<Incident> recentlyClosed(int limit) {
            return incidents.values().stream()
                    .filter(i -> i.last != null && !i.open())
                    .sorted(
                            Comparator.<Incident>comparingLong(i -> i.resolvedAt)
                                    .reversed()
                                    .thenComparing(i -> i.id))
                    .limit(limit)
                    .toList();
        }

        List<Incident> all() {
            return Collections.unmodifiableList(
                    incidents.values().stream().filter(i -> i.last != null).toList());
        }

        Incident get(String id) {
            Incident i = incidents.get(id);
            return i == null || i.last == null ? null : i;
        }

        Alert alert(String fingerprint) {
            return alerts.get(fingerprint);
        }
    }
}
