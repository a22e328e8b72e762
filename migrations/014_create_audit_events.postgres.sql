-- Who did what: logins (and failures), logouts, team and policy changes. Appended by the server
-- only; the API reads it and never changes it.
CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    at VARCHAR(32) NOT NULL,
    actor_id VARCHAR(36),
    actor_email VARCHAR(254),
    action VARCHAR(40) NOT NULL,
    target VARCHAR(254),
    client VARCHAR(64),
    detail TEXT
);

CREATE INDEX idx_audit_events_action ON audit_events (action, id);

CREATE INDEX idx_audit_events_actor ON audit_events (actor_email, id);
