-- Noise: records Tocsin could not accept, by reason and stage, with an example.
-- Parameters: {from}, {to}: dead letters received in [from, to). example is the first error of
-- the reason in the range.
SELECT
    reason_code,
    stage,
    count() AS records,
    formatDateTime(min(received_at), '%Y-%m-%d %H:%i') AS first_seen,
    formatDateTime(max(received_at), '%Y-%m-%d %H:%i') AS last_seen,
    argMin(error, received_at) AS example
FROM dead_letters FINAL
WHERE received_at >= {from:DateTime64(3, 'UTC')}
  AND received_at < {to:DateTime64(3, 'UTC')}
GROUP BY reason_code, stage
ORDER BY records DESC, reason_code, stage;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Noise: dead letters by reason:
-- reason_code     stage   records  first_seen        last_seen         example
-- -------------------------------------------------------------------------------------------------------------------------
-- MALFORMED_JSON  ingest        3  2026-11-03 10:00  2026-11-10 10:00  line 3: not JSON: unexpected end of input
-- MISSING_LABELS  ingest        1  2026-11-05 10:00  2026-11-05 10:00  labels: missing
-- OVERSIZE        ingest        1  2026-11-12 10:00  2026-11-12 10:00  record of 300000 bytes exceeds maxRecordBytes 262144
