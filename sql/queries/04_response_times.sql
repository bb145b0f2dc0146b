-- Response times per week: MTTD, MTTA, time to escalate (MTTE) and MTTR, by severity, team or service, with percentiles.
-- Parameters: {from}, {to}: incidents opened in [from, to); {by}: 'severity' (the worst severity
-- the incident reached), 'team' (of its service, from the services table) or 'service' (root
-- cause, else first service).
--   MTTD: first alert (startsAt of the earliest member alert) to OPENED
--   MTTA: OPENED to the first ACKNOWLEDGED
--   MTTE: OPENED to the first ESCALATED (the first page)
--   MTTR: OPENED to the last RESOLVED, for incidents resolved now
-- In seconds: mean, and the 50th and 90th percentiles interpolated between ranks
-- (quantileExactInclusive). An incident counts in a metric once it has reached that milestone;
-- merged incidents are left out.
SELECT
    week,
    breakdown,
    metric,
    count() AS incidents,
    round(avg(seconds), 1) AS mean_s,
    round(quantileExactInclusive(0.5)(seconds), 1) AS p50_s,
    round(quantileExactInclusive(0.9)(seconds), 1) AS p90_s
FROM
(
    SELECT
        toMonday(opened_at) AS week,
        multiIf({by:String} = 'team', team, {by:String} = 'service', service, worst_severity)
            AS breakdown,
        arrayJoin([
            ('MTTD', dateDiff('millisecond', first_alert_at, opened_at) / 1000),
            ('MTTA', dateDiff('millisecond', opened_at, first_acknowledged_at) / 1000),
            ('MTTE', dateDiff('millisecond', opened_at, first_escalated_at) / 1000),
            ('MTTR', dateDiff('millisecond', opened_at, if(status = 'RESOLVED', resolved_at, NULL)) / 1000)
        ]) AS measured,
        measured.1 AS metric,
        measured.2 AS seconds
    FROM incident_summary
    WHERE opened_at >= {from:DateTime64(3, 'UTC')}
      AND opened_at < {to:DateTime64(3, 'UTC')}
      AND merged_into IS NULL
      AND throwIf({by:String} NOT IN ('severity', 'team', 'service'),
                  'parameter by must be severity, team or service') = 0
)
WHERE seconds IS NOT NULL
GROUP BY week, breakdown, metric
ORDER BY week, breakdown, indexOf(['MTTD', 'MTTA', 'MTTE', 'MTTR'], metric);

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Response times by severity (seconds):
-- week        severity  metric  incidents  mean_s  p50_s  p90_s
-- -------------------------------------------------------------
-- 2026-11-02  SEV1      MTTD            2      75     75    111
-- 2026-11-02  SEV1      MTTA            2     420    420    564
-- 2026-11-02  SEV1      MTTE            1      60     60     60
-- 2026-11-02  SEV1      MTTR            2    2400   2400   2880
-- 2026-11-02  SEV2      MTTD            2     120    120    168
-- 2026-11-02  SEV2      MTTA            2     780    780   1116
-- 2026-11-02  SEV2      MTTE            2      90     90    114
-- 2026-11-02  SEV2      MTTR            2    4800   4800   6720
-- 2026-11-02  SEV3      MTTD            1     300    300    300
-- 2026-11-02  SEV3      MTTA            1    1800   1800   1800
-- ...
-- Response times by team (seconds):
-- week        team           metric  incidents  mean_s  p50_s  p90_s
-- ------------------------------------------------------------------
-- 2026-11-02  (unowned)      MTTD            1      30     30     30
-- 2026-11-02  (unowned)      MTTA            1     600    600    600
-- 2026-11-02  (unowned)      MTTR            1    1800   1800   1800
-- 2026-11-02  team-checkout  MTTD            1      60     60     60
-- 2026-11-02  team-checkout  MTTA            1    1200   1200   1200
-- 2026-11-02  team-checkout  MTTE            1     120    120    120
-- 2026-11-02  team-checkout  MTTR            1    7200   7200   7200
-- 2026-11-02  team-data      MTTD            2     150    150    174
-- 2026-11-02  team-data      MTTA            2     300    300    348
-- 2026-11-02  team-data      MTTE            2      60     60     60
-- ...
-- Response times by service (seconds):
-- week        service       metric  incidents  mean_s  p50_s  p90_s
-- -----------------------------------------------------------------
-- 2026-11-02  checkout-api  MTTD            1      60     60     60
-- 2026-11-02  checkout-api  MTTA            1    1200   1200   1200
-- 2026-11-02  checkout-api  MTTE            1     120    120    120
-- 2026-11-02  checkout-api  MTTR            1    7200   7200   7200
-- 2026-11-02  redis-cache   MTTD            1      30     30     30
-- 2026-11-02  redis-cache   MTTA            1     600    600    600
-- 2026-11-02  redis-cache   MTTR            1    1800   1800   1800
-- 2026-11-02  search        MTTD            1     300    300    300
-- 2026-11-02  search        MTTA            1    1800   1800   1800
-- 2026-11-02  search        MTTR            1   90000  90000  90000
-- ...
