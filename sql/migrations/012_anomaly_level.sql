-- The detector's anomaly level per point (high while the series is anomalous; `score` is the alarm
-- score, high once per anomaly). `expected` is NaN: the online detector keeps no point forecast.
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS level Float64 DEFAULT 0 CODEC(Gorilla, ZSTD(1));
