-- Calls counted as they change, per operator, status and failure reason, so that history totals
-- and /metrics cost the same at a million calls as at ten. Triggers keep the counts, so they stay
-- right whoever writes the rows: another instance, a restore, an import.
CREATE TABLE call_counts (
    user_id VARCHAR(36) NOT NULL,
    status VARCHAR(16) NOT NULL,
    failure_reason VARCHAR(255) NOT NULL,
    calls BIGINT NOT NULL,
    duration_seconds BIGINT NOT NULL,
    PRIMARY KEY (user_id, status, failure_reason)
);

INSERT INTO call_counts (user_id, status, failure_reason, calls, duration_seconds)
SELECT user_id, status, COALESCE(failure_reason, ''), COUNT(*), SUM(duration)
FROM calls GROUP BY user_id, status, COALESCE(failure_reason, '');

CREATE TRIGGER calls_counted_on_insert AFTER INSERT ON calls BEGIN
    INSERT INTO call_counts (user_id, status, failure_reason, calls, duration_seconds)
    VALUES (NEW.user_id, NEW.status, COALESCE(NEW.failure_reason, ''), 1, NEW.duration)
    ON CONFLICT (user_id, status, failure_reason)
    DO UPDATE SET calls = calls + 1, duration_seconds = duration_seconds + excluded.duration_seconds;
END;

CREATE TRIGGER calls_counted_on_update AFTER UPDATE OF user_id, status, failure_reason, duration ON calls BEGIN
    UPDATE call_counts SET calls = calls - 1, duration_seconds = duration_seconds - OLD.duration
    WHERE user_id = OLD.user_id AND status = OLD.status AND failure_reason = COALESCE(OLD.failure_reason, '');
    INSERT INTO call_counts (user_id, status, failure_reason, calls, duration_seconds)
    VALUES (NEW.user_id, NEW.status, COALESCE(NEW.failure_reason, ''), 1, NEW.duration)
    ON CONFLICT (user_id, status, failure_reason)
    DO UPDATE SET calls = calls + 1, duration_seconds = duration_seconds + excluded.duration_seconds;
END;

CREATE TRIGGER calls_counted_on_delete AFTER DELETE ON calls BEGIN
    UPDATE call_counts SET calls = calls - 1, duration_seconds = duration_seconds - OLD.duration
    WHERE user_id = OLD.user_id AND status = OLD.status AND failure_reason = COALESCE(OLD.failure_reason, '');
END;
