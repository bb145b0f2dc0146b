-- The service catalog's fields in the services dimension (CatalogReader's file, `--catalog`, or
-- the control topic's {"op":"catalog"}): owner team, on-call schedule, runbook URL, the catalog's
-- service tier (besides the topology's `tier`), customer tier, region and vendor with its response
-- SLA. NULL: the catalog does not list the service or leaves the field out. catalog_at is the
-- catalog version the row carries (the control message's event time, or when a file was loaded):
-- a version older than the newest one written does not replace it. The topology and the catalog
-- are written into the same row per service, each keeping the other's columns.
ALTER TABLE services ADD COLUMN IF NOT EXISTS owner_team LowCardinality(Nullable(String));
ALTER TABLE services ADD COLUMN IF NOT EXISTS schedule LowCardinality(Nullable(String));
ALTER TABLE services ADD COLUMN IF NOT EXISTS runbook_url Nullable(String);
ALTER TABLE services ADD COLUMN IF NOT EXISTS service_tier LowCardinality(Nullable(String));
ALTER TABLE services ADD COLUMN IF NOT EXISTS customer_tier LowCardinality(Nullable(String));
ALTER TABLE services ADD COLUMN IF NOT EXISTS region LowCardinality(Nullable(String));
ALTER TABLE services ADD COLUMN IF NOT EXISTS vendor LowCardinality(Nullable(String));
ALTER TABLE services ADD COLUMN IF NOT EXISTS vendor_response_sla_s Nullable(UInt32);
ALTER TABLE services ADD COLUMN IF NOT EXISTS catalog_at Nullable(DateTime64(3, 'UTC'));
