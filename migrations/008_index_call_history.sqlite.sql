-- History that stays fast at a million calls: pages read along an index by (user, time, id), and
-- a digits search through an FTS5 trigram index of the numbers.
--
-- The index needs a row id that never changes: VACUUM renumbers the implicit rowid of a table
-- without an INTEGER PRIMARY KEY, which would part the search index from its rows. So the table
-- is rebuilt with one (`seq`); `id` stays the call's key for everything else.
CREATE TABLE calls_rebuilt (
    seq INTEGER PRIMARY KEY,
    id VARCHAR(36) NOT NULL UNIQUE,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    phone_number VARCHAR(16) NOT NULL,
    start_time VARCHAR(32) NOT NULL,
    duration INTEGER NOT NULL DEFAULT 0,
    status VARCHAR(16) NOT NULL,
    session_id VARCHAR(255),
    sdp_offer TEXT,
    sdp_answer TEXT,
    provider VARCHAR(16) NOT NULL DEFAULT 'mock',
    instance_id VARCHAR(64) NOT NULL DEFAULT '',
    answered_at VARCHAR(32),
    ended_at VARCHAR(32),
    last_alive_at VARCHAR(32),
    failure_reason VARCHAR(255),
    rtt_ms DOUBLE PRECISION,
    jitter_ms DOUBLE PRECISION,
    packet_loss_percent DOUBLE PRECISION,
    mos DOUBLE PRECISION,
    packets_received BIGINT
);

INSERT INTO calls_rebuilt (id, user_id, phone_number, start_time, duration, status, session_id, sdp_offer,
                           sdp_answer, provider, instance_id, answered_at, ended_at, last_alive_at, failure_reason,
                           rtt_ms, jitter_ms, packet_loss_percent, mos, packets_received)
SELECT id, user_id, phone_number, start_time, duration, status, session_id, sdp_offer, sdp_answer, provider,
       instance_id, answered_at, ended_at, last_alive_at, failure_reason, rtt_ms, jitter_ms, packet_loss_percent,
       mos, packets_received
FROM calls ORDER BY start_time, id;

DROP TABLE calls;

ALTER TABLE calls_rebuilt RENAME TO calls;

CREATE INDEX idx_calls_session_id ON calls (session_id);

CREATE INDEX idx_calls_start_time ON calls (start_time);

-- One live call per operator, enforced by the database so that it also holds across instances.
CREATE UNIQUE INDEX idx_calls_one_live_per_user ON calls (user_id)
    WHERE status IN ('initiated', 'connecting', 'active');

-- History pages, newest first, with and without a status filter (keyset: start_time, id).
CREATE INDEX idx_calls_history ON calls (user_id, start_time, id);

CREATE INDEX idx_calls_history_by_status ON calls (user_id, status, start_time, id);

-- The sweep's live calls by instance: only the few live rows are indexed.
CREATE INDEX idx_calls_live ON calls (instance_id) WHERE status IN ('initiated', 'connecting', 'active');

CREATE VIRTUAL TABLE calls_number_search USING fts5 (
    phone_number, content = 'calls', content_rowid = 'seq', tokenize = 'trigram'
);

INSERT INTO calls_number_search (calls_number_search) VALUES ('rebuild');

CREATE TRIGGER calls_number_search_insert AFTER INSERT ON calls BEGIN
    INSERT INTO calls_number_search (rowid, phone_number) VALUES (NEW.seq, NEW.phone_number);
END;

CREATE TRIGGER calls_number_search_delete AFTER DELETE ON calls BEGIN
    INSERT INTO calls_number_search (calls_number_search, rowid, phone_number)
    VALUES ('delete', OLD.seq, OLD.phone_number);
END;

CREATE TRIGGER calls_number_search_update AFTER UPDATE OF phone_number ON calls BEGIN
    INSERT INTO calls_number_search (calls_number_search, rowid, phone_number)
    VALUES ('delete', OLD.seq, OLD.phone_number);
    INSERT INTO calls_number_search (rowid, phone_number) VALUES (NEW.seq, NEW.phone_number);
END;
