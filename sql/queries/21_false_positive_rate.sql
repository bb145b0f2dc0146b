-- Noise: false-positive and duplicate rate per alert rule, over resolved incidents with a disposition.
-- Parameters: {from}, {to}: incidents opened in [from, to) and resolved, by the alert rule
-- (alertname) that opened them. The disposition is the one the incident ended with (a RESOLVE's,
-- or a later CLASSIFY's; view incident_classifications, migration 017). The rates count only
-- incidents with a disposition; without_disposition shows how many nobody reviewed. Merged
-- incidents are left out.
SELECT
    alertname,
    count() AS resolved,
    countIf(disposition = '') AS without_disposition,
    countIf(disposition = 'fixed') AS fixed,
    countIf(disposition = 'false-positive') AS false_positive,
    countIf(disposition = 'duplicate') AS duplicate,
    if(resolved = without_disposition, NULL,
       round(100 * false_positive / (resolved - without_disposition), 1)) AS false_positive_pct,
    if(resolved = without_disposition, NULL,
       round(100 * duplicate / (resolved - without_disposition), 1)) AS duplicate_pct
FROM incident_classifications
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
  AND status = 'RESOLVED'
GROUP BY alertname
ORDER BY false_positive_pct DESC NULLS LAST, resolved DESC, alertname;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-12-07 to 2026-12-14):
-- Outcome: false-positive and duplicate rate per alert rule:
-- alertname             resolved  without_disposition  fixed  false_positive  duplicate  false_positive_pct  duplicate_pct
-- ------------------------------------------------------------------------------------------------------------------------
-- CheckoutLatencyHigh          4                    0      1               2          1                  50             25
-- PgTooManyConnections         2                    1      1               0          0                   0              0
-- SearchIndexLag               1                    1      0               0          0                   -              -
