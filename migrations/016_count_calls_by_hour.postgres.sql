-- Calls counted per operator, UTC hour of their start, status and quality band, kept by a trigger
-- as calls change (like call_counts): the dashboard's charts read at most 24 × 31 hours of rows
-- per status, whatever the number of calls, and stay right whoever writes the calls.
-- hour: the first 13 characters of start_time ("2026-12-06T09", UTC). quality: the band of the
-- call's MOS (ITU-T G.107's user satisfaction: bad < 3.1 ≤ poor < 3.6 ≤ fair < 4.0 ≤ good < 4.3 ≤
-- excellent), '' while the call has none.
CREATE TABLE call_hours (
    user_id VARCHAR(36) NOT NULL,
    hour VARCHAR(13) NOT NULL,
    status VARCHAR(16) NOT NULL,
    quality VARCHAR(10) NOT NULL,
    calls BIGINT NOT NULL,
    duration_seconds BIGINT NOT NULL,
    PRIMARY KEY (user_id, hour, status, quality)
);

CREATE INDEX idx_call_hours_hour ON call_hours (hour);

CREATE FUNCTION call_quality_band(mos DOUBLE PRECISION) RETURNS VARCHAR LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN mos IS NULL THEN '' WHEN mos < 3.1 THEN 'bad' WHEN mos < 3.6 THEN 'poor'
                WHEN mos < 4.0 THEN 'fair' WHEN mos < 4.3 THEN 'good' ELSE 'excellent' END
$$;

INSERT INTO call_hours (user_id, hour, status, quality, calls, duration_seconds)
SELECT user_id, substr(start_time, 1, 13), status, call_quality_band(mos), COUNT(*), SUM(duration)
FROM calls GROUP BY user_id, substr(start_time, 1, 13), status, call_quality_band(mos);

CREATE FUNCTION count_calls_by_hour() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE call_hours SET calls = calls - 1, duration_seconds = duration_seconds - OLD.duration
        WHERE user_id = OLD.user_id AND hour = substr(OLD.start_time, 1, 13) AND status = OLD.status
          AND quality = call_quality_band(OLD.mos);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO call_hours (user_id, hour, status, quality, calls, duration_seconds)
        VALUES (NEW.user_id, substr(NEW.start_time, 1, 13), NEW.status, call_quality_band(NEW.mos), 1, NEW.duration)
        ON CONFLICT (user_id, hour, status, quality) DO UPDATE
        SET calls = call_hours.calls + 1, duration_seconds = call_hours.duration_seconds + EXCLUDED.duration_seconds;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER calls_counted_by_hour AFTER INSERT OR UPDATE OF user_id, start_time, status, duration, mos OR DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION count_calls_by_hour();
