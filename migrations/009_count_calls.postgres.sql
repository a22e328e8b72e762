-- Calls counted as they change, per operator, status and failure reason, so that history totals
-- and /metrics cost the same at a million calls as at ten. A trigger keeps the counts, so they
-- stay right whoever writes the rows: another instance, a restore, an import.
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

CREATE FUNCTION count_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE call_counts SET calls = calls - 1, duration_seconds = duration_seconds - OLD.duration
        WHERE user_id = OLD.user_id AND status = OLD.status AND failure_reason = COALESCE(OLD.failure_reason, '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO call_counts (user_id, status, failure_reason, calls, duration_seconds)
        VALUES (NEW.user_id, NEW.status, COALESCE(NEW.failure_reason, ''), 1, NEW.duration)
        ON CONFLICT (user_id, status, failure_reason) DO UPDATE
        SET calls = call_counts.calls + 1, duration_seconds = call_counts.duration_seconds + EXCLUDED.duration_seconds;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER calls_counted AFTER INSERT OR UPDATE OF user_id, status, failure_reason, duration OR DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION count_calls();
