-- Which provider and which Switchboard instance hold the call's session; when the call became
-- active, when it ended, and the last time its session was known alive: a restart completes an
-- active call with the duration known up to that moment.
ALTER TABLE calls ADD COLUMN provider VARCHAR(16) NOT NULL DEFAULT 'mock';

ALTER TABLE calls ADD COLUMN instance_id VARCHAR(64) NOT NULL DEFAULT '';

ALTER TABLE calls ADD COLUMN answered_at VARCHAR(32);

ALTER TABLE calls ADD COLUMN ended_at VARCHAR(32);

ALTER TABLE calls ADD COLUMN last_alive_at VARCHAR(32);

ALTER TABLE calls ADD COLUMN failure_reason VARCHAR(255);

-- One live call per operator, enforced by the database so that it also holds across instances.
CREATE UNIQUE INDEX idx_calls_one_live_per_user ON calls (user_id)
    WHERE status IN ('initiated', 'connecting', 'active');

CREATE INDEX idx_calls_user_start_time ON calls (user_id, start_time);

CREATE INDEX idx_calls_status ON calls (status);
