CREATE TABLE calls (
    id VARCHAR(36) PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    phone_number VARCHAR(16) NOT NULL,
    start_time VARCHAR(32) NOT NULL,
    duration INTEGER NOT NULL DEFAULT 0,
    status VARCHAR(16) NOT NULL
);

CREATE INDEX idx_calls_user_id ON calls (user_id);

CREATE INDEX idx_calls_start_time ON calls (start_time);
