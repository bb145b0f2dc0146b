-- Escalation: the re-escalation rate per service, the share of its escalated incidents that escalated again after an acknowledgement or to a tier already reached.
-- Parameters: {from}, {to}: incidents opened in [from, to), by root-cause service. What counts as
-- a re-escalation is defined once, in the incident_re_escalations view (migration 016), as for 05;
-- repeats counts the re-escalating pages.
SELECT
    service,
    team,
    count() AS escalated,
    countIf(re_escalations > 0) AS re_escalated,
    round(100 * re_escalated / escalated, 1) AS re_escalation_pct,
    sum(re_escalations) AS repeats,
    arrayStringConcat(arraySort(groupArrayIf(incident_id, re_escalations > 0)), ',') AS which
FROM incident_re_escalations
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
GROUP BY service, team
ORDER BY re_escalation_pct DESC, escalated DESC, service;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: re-escalations per service:
-- service       team           escalated  re_escalated  re_escalation_pct  repeats  which
-- -----------------------------------------------------------------------------------------
-- users-pg      team-data              3             1               33.3        2  INC-201
-- checkout-api  team-checkout          1             0                  0        0
-- payments-svc  team-payments          1             0                  0        0
-- users-svc     team-identity          1             0                  0        0
