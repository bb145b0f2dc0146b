-- Recurrence: the root causes (service and opening alert) that keep coming back, most recurrences first.
-- Parameters: {from}, {to}: incidents opened in [from, to). A recurrence is an incident whose
-- recurrenceOf names an earlier, resolved incident. Top 10; merged incidents are left out.
SELECT
    service,
    ifNull(opening_alertname, '') AS alertname,
    count() AS incidents,
    countIf(recurrence_of IS NOT NULL) AS recurrences,
    formatDateTime(max(opened_at), '%Y-%m-%d %H:%i') AS last_opened
FROM incident_summary
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
  AND merged_into IS NULL
GROUP BY service, alertname
HAVING recurrences > 0
ORDER BY recurrences DESC, incidents DESC, service, alertname
LIMIT 10;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Recurrence: top recurring root causes:
-- service       alertname             incidents  recurrences  last_opened
-- ----------------------------------------------------------------------------
-- users-pg      PgTooManyConnections          3            3  2026-11-09 09:00
-- checkout-api  CheckoutLatencyHigh           2            1  2026-11-13 10:00
-- search        SearchSlowQueries             2            1  2026-11-11 03:00
