-- Every change of a call that a client follows, in commit order: the event stream
-- (GET /api/events, resumable by id) and the webhooks' outbox read it. Triggers write it in the
-- transaction of the change itself, so there is no event without its change and no change without
-- its event, whoever writes the row (another instance, a restore). Each event keeps what the
-- change left in the call's changing columns, so that a reader sees each state once, in order,
-- however late it reads. SQLite has one writer, so ids
-- grow in commit order. A heartbeat (last_alive_at) or an SDP answer is not an event.
CREATE TABLE call_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id VARCHAR(36) NOT NULL,
    user_id VARCHAR(36) NOT NULL,
    type VARCHAR(32) NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    duration INTEGER NOT NULL,
    status VARCHAR(16) NOT NULL,
    answered_at VARCHAR(32),
    ended_at VARCHAR(32),
    failure_reason VARCHAR(255),
    rtt_ms DOUBLE PRECISION,
    jitter_ms DOUBLE PRECISION,
    packet_loss_percent DOUBLE PRECISION,
    mos DOUBLE PRECISION,
    packets_received BIGINT,
    on_hold INTEGER NOT NULL,
    transferred_to VARCHAR(32),
    notes TEXT,
    outcome VARCHAR(32)
);

CREATE INDEX idx_call_events_user_id ON call_events (user_id, id);

CREATE INDEX idx_call_events_created_at ON call_events (created_at);

CREATE TRIGGER calls_evented_on_insert AFTER INSERT ON calls BEGIN
    INSERT INTO call_events (call_id, user_id, type, created_at, duration, status, answered_at, ended_at, failure_reason, rtt_ms, jitter_ms, packet_loss_percent, mos, packets_received, on_hold, transferred_to, notes, outcome)
    VALUES (NEW.id, NEW.user_id, 'call.initiated', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
            NEW.duration, NEW.status, NEW.answered_at, NEW.ended_at, NEW.failure_reason, NEW.rtt_ms, NEW.jitter_ms, NEW.packet_loss_percent, NEW.mos, NEW.packets_received, NEW.on_hold, NEW.transferred_to, NEW.notes, NEW.outcome);
END;

CREATE TRIGGER calls_evented_on_status AFTER UPDATE ON calls WHEN OLD.status IS NOT NEW.status BEGIN
    INSERT INTO call_events (call_id, user_id, type, created_at, duration, status, answered_at, ended_at, failure_reason, rtt_ms, jitter_ms, packet_loss_percent, mos, packets_received, on_hold, transferred_to, notes, outcome)
    VALUES (NEW.id, NEW.user_id, 'call.' || NEW.status, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
            NEW.duration, NEW.status, NEW.answered_at, NEW.ended_at, NEW.failure_reason, NEW.rtt_ms, NEW.jitter_ms, NEW.packet_loss_percent, NEW.mos, NEW.packets_received, NEW.on_hold, NEW.transferred_to, NEW.notes, NEW.outcome);
END;

CREATE TRIGGER calls_evented_on_change AFTER UPDATE ON calls
WHEN OLD.status IS NEW.status AND (OLD.on_hold IS NOT NEW.on_hold OR OLD.transferred_to IS NOT NEW.transferred_to
    OR OLD.notes IS NOT NEW.notes OR OLD.outcome IS NOT NEW.outcome OR OLD.mos IS NOT NEW.mos) BEGIN
    INSERT INTO call_events (call_id, user_id, type, created_at, duration, status, answered_at, ended_at, failure_reason, rtt_ms, jitter_ms, packet_loss_percent, mos, packets_received, on_hold, transferred_to, notes, outcome)
    VALUES (NEW.id, NEW.user_id, 'call.updated', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
            NEW.duration, NEW.status, NEW.answered_at, NEW.ended_at, NEW.failure_reason, NEW.rtt_ms, NEW.jitter_ms, NEW.packet_loss_percent, NEW.mos, NEW.packets_received, NEW.on_hold, NEW.transferred_to, NEW.notes, NEW.outcome);
END;

-- Webhooks (Standard Webhooks): `events` is the subscribed types between commas
-- (",call.completed,call.failed,"); an admin's webhook (all_users = 1) hears every operator's
-- calls. The secret signs (HMAC-SHA256), so it is kept as it is, like the JWT secret.
CREATE TABLE webhooks (
    id VARCHAR(36) PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url VARCHAR(2048) NOT NULL,
    events VARCHAR(200) NOT NULL,
    secret VARCHAR(64) NOT NULL,
    all_users INTEGER NOT NULL,
    created_at VARCHAR(32) NOT NULL
);

CREATE INDEX idx_webhooks_user_id ON webhooks (user_id);

-- The outbox: one row per webhook and event, written by a trigger with the event (so in the
-- transaction of the call's change). `payload` is fixed at the first attempt, so that retries
-- send the same body; `claimed_until` lets one instance of several take a delivery at a time.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id VARCHAR(36) NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL,
    call_id VARCHAR(36) NOT NULL,
    event_type VARCHAR(32) NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at VARCHAR(32) NOT NULL,
    claimed_until VARCHAR(32),
    payload TEXT,
    last_status_code INTEGER,
    last_error VARCHAR(500),
    delivered_at VARCHAR(32)
);

CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

CREATE INDEX idx_webhook_deliveries_webhook_id ON webhook_deliveries (webhook_id, id);

CREATE TRIGGER call_events_delivered AFTER INSERT ON call_events BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, call_id, event_type, created_at, status, attempts, next_attempt_at)
    SELECT w.id, NEW.id, NEW.call_id, NEW.type, NEW.created_at, 'pending', 0, NEW.created_at
    FROM webhooks w
    WHERE (w.user_id = NEW.user_id OR w.all_users = 1) AND instr(w.events, ',' || NEW.type || ',') > 0;
END;
