-- Noise: alert transitions each suppression rule (maintenance window, silence, inhibition) muted, and their share of all transitions.
-- Parameters: {from}, {to}: transitions received in [from, to), to the hour (read from the
-- alert_noise_hourly rollup). share_pct is the rule's suppressed transitions over all transitions
-- in the range; alerts counts distinct fingerprints.
SELECT rule, suppressed, alerts, services, round(100 * suppressed / total, 1) AS share_pct
FROM
(
    SELECT
        h.suppressed_by AS rule,
        uniqExactMerge(h.transitions) AS suppressed,
        uniqExactMerge(h.fingerprints) AS alerts,
        arrayStringConcat(arraySort(groupUniqArray(toString(h.service))), ',') AS services,
        sum(uniqExactMerge(h.transitions)) OVER () AS total
    FROM alert_noise_hourly AS h
    WHERE h.hour >= toStartOfHour({from:DateTime64(3, 'UTC')})
      AND h.hour < {to:DateTime64(3, 'UTC')}
    GROUP BY rule
)
WHERE rule != ''
ORDER BY suppressed DESC, rule;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Noise: suppressed share per rule:
-- rule            suppressed  alerts  services  share_pct
-- -------------------------------------------------------
-- db-patching              4       2  users-pg         16
-- search-reindex           2       1  search            8
