-- Escalation: upgrades per service, and the mean time to upgrade (opened to the first SEVERITY_CHANGED to a more severe level).
-- Parameters: {from}, {to}: incidents opened in [from, to), by root-cause service (the first
-- service when there is none). upgrades counts every upward change; by_people and by_policy split
-- them by actor ('policy:...' is automatic). Merged incidents are left out.
SELECT
    s.service AS service,
    s.team AS team,
    count() AS incidents,
    countIf(u.first_upgrade_at IS NOT NULL) AS upgraded,
    round(100 * upgraded / incidents, 1) AS upgraded_pct,
    sum(u.upgrades) AS upgrades,
    sum(u.by_people) AS by_people,
    sum(u.by_policy) AS by_policy,
    if(upgraded = 0, NULL,
       round(avgIf(dateDiff('second', s.opened_at, u.first_upgrade_at),
                   u.first_upgrade_at IS NOT NULL) / 60, 1)) AS mean_minutes_to_upgrade
FROM
(
    SELECT * FROM incident_summary
    WHERE opened_at >= {from:DateTime64(3, 'UTC')}
      AND opened_at < {to:DateTime64(3, 'UTC')}
      AND merged_into IS NULL
) AS s
LEFT JOIN
(
    SELECT
        incident_id,
        minOrNull(event_time) AS first_upgrade_at,
        count() AS upgrades,
        countIf(NOT startsWith(toString(actor), 'policy:')) AS by_people,
        countIf(startsWith(toString(actor), 'policy:')) AS by_policy
    FROM incident_events FINAL
    WHERE type = 'SEVERITY_CHANGED'
      AND severity != 'UNKNOWN'
      AND previous_severity IS NOT NULL
      AND previous_severity != 'UNKNOWN'
      -- SEV1 is the most severe: a smaller number is an upgrade.
      AND toUInt8(substring(toString(severity), 4))
          < toUInt8(substring(toString(assumeNotNull(previous_severity)), 4))
    GROUP BY incident_id
) AS u ON s.incident_id = u.incident_id
GROUP BY service, team
ORDER BY upgraded DESC, incidents DESC, service;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: upgrades and mean time to upgrade:
-- service       team           incidents  upgraded  upgraded_pct  upgrades  by_people  by_policy  mean_minutes_to_upgrade
-- -----------------------------------------------------------------------------------------------------------------------
-- users-pg      team-data              4         1            25         1          0          1                        2
-- checkout-api  team-checkout          2         0             0         0          0          0                        -
-- search        team-search            2         0             0         0          0          0                        -
-- payments-svc  team-payments          1         0             0         0          0          0                        -
-- redis-cache   (unowned)              1         0             0         0          0          0                        -
-- users-svc     team-identity          1         0             0         0          0          0                        -
