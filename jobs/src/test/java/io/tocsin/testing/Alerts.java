package io.tocsin.testing;

import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.Severity;
import io.tocsin.ingest.Fingerprint;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Named instants and an alert builder for tests. */
public final class Alerts {

    public static final Instant BEGINNING = Instant.parse("2026-11-02T02:00:00Z");
    public static final Instant ONE_MINUTE_LATER = BEGINNING.plusSeconds(60);
    public static final Instant TWO_MINUTES_LATER = BEGINNING.plusSeconds(120);
    public static final Instant TEN_MINUTES_LATER = BEGINNING.plusSeconds(600);
    public static final Instant ONE_HOUR_LATER = BEGINNING.plusSeconds(3600);

    private final Map<String, String> labels = new TreeMap<>();
    private AlertStatus status = AlertStatus.FIRING;
    private Instant startsAt = BEGINNING;
    private Instant endsAt;
    private Instant receivedAt = BEGINNING;
    private Severity severity = Severity.SEV3;

    private Alerts(String alertname, String service) {
        labels.put("alertname", alertname);
        if (service != null) {
            labels.put("service", service);
        }
        labels.put("cluster", "prod-eu");
    }

    public static Alerts alert(String alertname, String service) {
        return new Alerts(alertname, service);
    }

    public Alerts label(String k, String v) {
        labels.put(k, v);
        return this;
    }

    public Alerts severity(Severity s) {
        severity = s;
        return this;
    }

    /** Firing since {@code startsAt}, received at {@code at}. */
    public Alerts firing(Instant startsAt, Instant at) {
        this.status = AlertStatus.FIRING;
        this.startsAt = startsAt;
        this.endsAt = null;
        this.receivedAt = at;
        return this;
    }

    public Alerts resolved(Instant at) {
        this.status = AlertStatus.RESOLVED;
        this.endsAt = at;
        this.receivedAt = at;
        return this;
    }

    public Alert build() {
        return Alert.newBuilder()
                .setSource("json")
                .setFingerprint(Fingerprint.of(labels))
                .setStatus(status)
                .setLabels(new TreeMap<>(labels))
                .setAnnotations(new TreeMap<>())
                .setStartsAt(startsAt)
                .setEndsAt(endsAt)
                .setGeneratorUrl(null)
                .setReceivedAt(receivedAt)
                .setSeverity(severity)
                .setService(labels.get("service"))
                .build();
    }
}
