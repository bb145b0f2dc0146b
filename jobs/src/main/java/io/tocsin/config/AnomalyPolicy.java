package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How telemetry anomalies become synthetic alerts, and how long a silent series is remembered.
 *
 * @param fireLevel a point whose level ({@link Assessment#level()}) is at least this is anomalous
 * @param fireAfter anomalous points needed among the last {@code fireWithin} points to fire
 * @param fireWithin the points looked at for {@code fireAfter} (at most 32)
 * @param minHistory no alert before a series has reported for this long (event time): until then
 *     its detector has not seen a full cycle of what is normal
 * @param resolveLevel a point below this level is normal
 * @param resolveAfter consecutive normal points that resolve a firing anomaly
 * @param firingHold each firing notification carries endsAt = its time plus this, so if the series
 *     stops reporting, dedupe resolves the alert then (as Alertmanager does)
 * @param resendEvery a firing anomaly is re-sent at most this often (dedupe drops the re-sends;
 *     they keep the alert from timing out)
 * @param stateTtl a series with no point for this long (event time) is forgotten: its detector
 *     state is dropped and it learns afresh if it comes back
 * @param alertName the alertname label of the synthetic alerts
 * @param severity the severity label of the synthetic alerts
 * @param detector the detector tuning, the same for every series
 */
public record AnomalyPolicy(
        double fireLevel,
        int fireAfter,
        int fireWithin,
        Duration minHistory,
        double resolveLevel,
        int resolveAfter,
        Duration firingHold,
        Duration resendEvery,
        Duration stateTtl,
        String alertName,
        String severity,
        DetectorSettings detector)
        implements Serializable {

    public AnomalyPolicy {
        if (!(fireLevel > 0 && fireLevel <= 1)
                || !(resolveLevel >= 0 && resolveLevel <= fireLevel)) {
            throw new IllegalArgumentException(
                    "need 0 < fireLevel <= 1 and 0 <= resolveLevel <= fireLevel");
        }
        if (fireWithin < 1 || fireWithin > 32 || fireAfter < 1 || fireAfter > fireWithin) {
            throw new IllegalArgumentException("need 1 <= fireAfter <= fireWithin <= 32");
        }
        if (resolveAfter < 1) {
            throw new IllegalArgumentException("resolveAfter must be at least 1");
        }
        if (firingHold.isNegative()
                || firingHold.isZero()
                || stateTtl.isNegative()
                || stateTtl.isZero()) {
            throw new IllegalArgumentException("firingHold and stateTtl must be positive");
        }
        if (firingHold.compareTo(stateTtl) >= 0) {
            // Expiry drops a series silently; only safe once dedupe has resolved its alert.
            throw new IllegalArgumentException("firingHold must be shorter than stateTtl");
        }
    }

    /**
     * Fires when 2 of 3 consecutive points reach level 0.6, once a series has a day of history;
     * resolves after 10 points below 0.3; forgets a series after 2 days of silence.
     */
    public static AnomalyPolicy defaults() {
        return new AnomalyPolicy(
                0.6,
                2,
                3,
                Duration.ofDays(1),
                0.3,
                10,
                Duration.ofMinutes(15),
                Duration.ofMinutes(1),
                Duration.ofDays(2),
                "AnomalousMetric",
                "warning",
                DetectorSettings.DEFAULTS);
    }
}
