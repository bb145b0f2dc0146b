-- Noise: alerts that flapped (transitions marked flapping by dedupe), most flapping first.
-- Parameters: {from}, {to}: transitions received in [from, to).
SELECT
    alertname,
    service,
    fingerprint,
    countIf(flapping) AS flapping_transitions,
    count() AS transitions,
    formatDateTime(minIf(received_at, flapping), '%Y-%m-%d %H:%i:%S') AS first_flap,
    formatDateTime(maxIf(received_at, flapping), '%Y-%m-%d %H:%i:%S') AS last_flap
FROM alerts FINAL
WHERE received_at >= {from:DateTime64(3, 'UTC')}
  AND received_at < {to:DateTime64(3, 'UTC')}
GROUP BY alertname, service, fingerprint
HAVING flapping_transitions > 0
ORDER BY flapping_transitions DESC, alertname, service, fingerprint
LIMIT 20;

-- Example output (jobs/src/test/resources/analytics/seed.txt, from 2026-11-02 to 2026-11-16):
-- Noise: flapping alerts:
-- alertname      service      fingerprint  flapping_transitions  transitions  first_flap           last_flap
-- --------------------------------------------------------------------------------------------------------------------
-- RedisFlapping  redis-cache  fp-redis                        4            6  2026-11-06 22:02:00  2026-11-06 22:08:00
