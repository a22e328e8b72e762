-- The team's calling policy, one row that every instance reads before it places a call:
-- allowed destination countries (comma-separated ISO codes, empty = all) and the limits (0 = none).
CREATE TABLE calling_policy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    allowed_countries TEXT NOT NULL DEFAULT '',
    calls_per_operator_per_day INTEGER NOT NULL DEFAULT 0,
    max_call_duration_seconds INTEGER NOT NULL DEFAULT 0,
    max_concurrent_calls INTEGER NOT NULL DEFAULT 0,
    updated_at VARCHAR(32),
    updated_by VARCHAR(254)
);

INSERT INTO calling_policy (id) VALUES (1);
