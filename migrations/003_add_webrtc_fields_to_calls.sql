ALTER TABLE calls ADD COLUMN session_id VARCHAR(255);

ALTER TABLE calls ADD COLUMN sdp_offer TEXT;

ALTER TABLE calls ADD COLUMN sdp_answer TEXT;

CREATE INDEX idx_calls_session_id ON calls (session_id);
