-- History that stays fast at a million calls: pages read along an index by (user, time, id), and
-- a digits search through a pg_trgm index of the numbers (pg_trgm is a trusted extension: the
-- database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX idx_calls_number_trigrams ON calls USING gin (phone_number gin_trgm_ops);

-- History pages, newest first, with and without a status filter (keyset: start_time, id).
CREATE INDEX idx_calls_history ON calls (user_id, start_time, id);

CREATE INDEX idx_calls_history_by_status ON calls (user_id, status, start_time, id);

-- The sweep's live calls by instance: only the few live rows are indexed.
CREATE INDEX idx_calls_live ON calls (instance_id) WHERE status IN ('initiated', 'connecting', 'active');

-- Covered by the history indexes; the status index held every call for the sake of a few live ones.
DROP INDEX idx_calls_user_start_time;

DROP INDEX idx_calls_user_id;

DROP INDEX idx_calls_status;
