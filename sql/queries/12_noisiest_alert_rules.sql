-- Noise: the noisiest alert rules (alertname): transitions, distinct alerts, suppressed share, and how many incidents they took part in.
-- Parameters: {from}, {to}: transitions received and incident events in [from, to), to the hour
-- for transitions (alert_noise_hourly). incidents counts the incidents the rule's alerts opened or
-- joined; many transitions and few incidents is noise worth tuning. Top 10.
SELECT
    n.alertname AS alertname,
    n.services AS services,
    n.transitions AS transitions,
    n.firing AS firing,
    n.alerts AS alerts,
    round(100 * n.suppressed / n.transitions, 1) AS suppressed_pct,
    ifNull(i.incidents, 0) AS incidents
FROM
(
    SELECT
        toString(h.alertname) AS alertname,
        arrayStringConcat(arraySort(groupUniqArray(toString(h.service))), ',') AS services,
        uniqExactMerge(h.transitions) AS transitions,
        uniqExactIfMerge(h.firing) AS firing,
        uniqExactMerge(h.fingerprints) AS alerts,
        uniqExactMergeIf(h.transitions, h.suppressed_by != '') AS suppressed
    FROM alert_noise_hourly AS h
    WHERE h.hour >= toStartOfHour({from:DateTime64(3, 'UTC')})
      AND h.hour < {to:DateTime64(3, 'UTC')}
    GROUP BY alertname
) AS n
LEFT JOIN
(
    SELECT toString(assumeNotNull(alertname)) AS alertname, uniqExact(incident_id) AS incidents
    FROM incident_events FINAL
    WHERE type IN ('OPENED', 'ALERT_ADDED', 'REOPENED')
      AND alertname IS NOT NULL
      AND event_time >= {from:DateTime64(3, 'UTC')}
      AND event_time < {to:DateTime64(3, 'UTC')}
    GROUP BY alertname
) AS i ON n.alertname = i.alertname
ORDER BY transitions DESC, alertname
LIMIT 10;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Noise: noisiest alert rules:
-- alertname             services      transitions  firing  alerts  suppressed_pct  incidents
-- ------------------------------------------------------------------------------------------
-- RedisFlapping         redis-cache             6       3       1               0          1
-- PgTooManyConnections  users-pg                4       2       1               0          3
-- PgReplicationLag      users-pg                3       2       1            66.7          1
-- CheckoutLatencyHigh   checkout-api            2       1       1               0          2
-- PgReplicaDown         users-pg                2       1       1             100          0
-- SearchHeapHigh        search                  2       1       1             100          1
-- SearchSlowQueries     search                  2       1       1               0          2
-- UsersSvcErrors        users-svc               2       1       1               0          3
-- UsersSvcLatency       users-svc               2       1       1               0          2
