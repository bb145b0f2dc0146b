-- Escalation: incidents that bypassed the escalation path, and how.
-- Parameters: {from}, {to}: incidents opened in [from, to). The path pages tier 0, then 1, 2, ...
-- in order. Bypasses: a paging severity (SEV1/SEV2 at any point) with nobody paged; a tier paged
-- before a lower tier was ('tier N skipped'); the first acknowledgement by someone who was never
-- paged for the incident (defined once, in the escalation_bypasses view, migration 016). Merged
-- incidents are left out.
SELECT
    formatDateTime(opened_at, '%Y-%m-%d %H:%i') AS opened,
    incident_id,
    severity,
    team,
    bypass
FROM escalation_bypasses
WHERE opened_at >= {from:DateTime64(3, 'UTC')}
  AND opened_at < {to:DateTime64(3, 'UTC')}
  AND bypass != ''
ORDER BY opened_at, incident_id;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Escalation: incidents that bypassed the escalation path:
-- opened            incident_id  severity  team           bypass
-- ------------------------------------------------------------------------------------------------
-- 2026-11-06 22:00  INC-105      SEV1      (unowned)      paging severity, nobody paged
-- 2026-11-10 11:00  INC-202      SEV2      team-payments  tier 0 skipped
-- 2026-11-12 16:00  INC-204      SEV2      team-identity  acknowledged by frank, who was not paged
