-- Suppression and flapping marks on alert transitions (suppressed rows stay for analysts).
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS suppressed Bool DEFAULT false;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS suppressed_by LowCardinality(String) DEFAULT '';
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS flapping Bool DEFAULT false;
