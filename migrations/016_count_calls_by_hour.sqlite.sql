-- Calls counted per operator, UTC hour of their start, status and quality band, kept by triggers
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

CREATE VIEW call_quality_bands AS
SELECT id, user_id, substr(start_time, 1, 13) AS hour, status, duration,
       CASE WHEN mos IS NULL THEN '' WHEN mos < 3.1 THEN 'bad' WHEN mos < 3.6 THEN 'poor'
            WHEN mos < 4.0 THEN 'fair' WHEN mos < 4.3 THEN 'good' ELSE 'excellent' END AS quality
FROM calls;

INSERT INTO call_hours (user_id, hour, status, quality, calls, duration_seconds)
SELECT user_id, hour, status, quality, COUNT(*), SUM(duration)
FROM call_quality_bands GROUP BY user_id, hour, status, quality;

CREATE TRIGGER calls_counted_by_hour_on_insert AFTER INSERT ON calls BEGIN
    INSERT INTO call_hours (user_id, hour, status, quality, calls, duration_seconds)
    SELECT user_id, hour, status, quality, 1, duration FROM call_quality_bands WHERE id = NEW.id
    ON CONFLICT (user_id, hour, status, quality)
    DO UPDATE SET calls = calls + 1, duration_seconds = duration_seconds + excluded.duration_seconds;
END;

-- The old row's band is computed from OLD's columns (the view already shows the new row).
CREATE TRIGGER calls_counted_by_hour_on_update
AFTER UPDATE OF user_id, start_time, status, duration, mos ON calls BEGIN
    UPDATE call_hours SET calls = calls - 1, duration_seconds = duration_seconds - OLD.duration
    WHERE user_id = OLD.user_id AND hour = substr(OLD.start_time, 1, 13) AND status = OLD.status
      AND quality = CASE WHEN OLD.mos IS NULL THEN '' WHEN OLD.mos < 3.1 THEN 'bad' WHEN OLD.mos < 3.6 THEN 'poor'
                         WHEN OLD.mos < 4.0 THEN 'fair' WHEN OLD.mos < 4.3 THEN 'good' ELSE 'excellent' END;
    INSERT INTO call_hours (user_id, hour, status, quality, calls, duration_seconds)
    SELECT user_id, hour, status, quality, 1, duration FROM call_quality_bands WHERE id = NEW.id
    ON CONFLICT (user_id, hour, status, quality)
    DO UPDATE SET calls = calls + 1, duration_seconds = duration_seconds + excluded.duration_seconds;
END;

CREATE TRIGGER calls_counted_by_hour_on_delete AFTER DELETE ON calls BEGIN
    UPDATE call_hours SET calls = calls - 1, duration_seconds = duration_seconds - OLD.duration
    WHERE user_id = OLD.user_id AND hour = substr(OLD.start_time, 1, 13) AND status = OLD.status
      AND quality = CASE WHEN OLD.mos IS NULL THEN '' WHEN OLD.mos < 3.1 THEN 'bad' WHEN OLD.mos < 3.6 THEN 'poor'
                         WHEN OLD.mos < 4.0 THEN 'fair' WHEN OLD.mos < 4.3 THEN 'good' ELSE 'excellent' END;
END;
