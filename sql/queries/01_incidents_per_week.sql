-- Recurrence: incidents per week per service and opening alert, and how many were recurrences.
-- Parameters: {from}, {to} (DateTime64, UTC): incidents opened in [from, to). Weeks start on Monday
-- (UTC). service is the incident's root cause (else its first service); alertname is the alert
-- that opened it. Incidents merged into another are left out: they live on in the survivor.
SELECT
    toMonday(opened_at) AS week,
    service,
    ifNull(opening_alertname, '') AS alertname,
    count() AS incidents,
    countIf(recurrence_of IS NOT NULL) AS recurrences
FROM incident_summary
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
  AND merged_into IS NULL
GROUP BY week, service, alertname
ORDER BY week, incidents DESC, service, alertname;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Recurrence: incidents per week:
-- week        service       alertname             incidents  recurrences
-- ----------------------------------------------------------------------
-- 2026-11-02  users-pg      PgTooManyConnections          2            2
-- 2026-11-02  checkout-api  CheckoutLatencyHigh           1            0
-- 2026-11-02  redis-cache   RedisFlapping                 1            0
-- 2026-11-02  search        SearchSlowQueries             1            0
-- 2026-11-09  checkout-api  CheckoutLatencyHigh           1            1
-- 2026-11-09  payments-svc  CheckoutErrors                1            0
-- 2026-11-09  search        SearchSlowQueries             1            1
-- 2026-11-09  users-pg      PgReplicationLag              1            0
-- 2026-11-09  users-pg      PgTooManyConnections          1            1
-- 2026-11-09  users-svc     UsersSvcErrors                1            0
