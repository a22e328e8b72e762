-- API keys: an operator's credential for scripts and CRMs. Only the SHA-256 of the key is kept
-- (the key is 256 random bits, so a fast hash is as strong as a slow one); `prefix` is its first
-- characters, shown so that the operator can tell keys apart. Scopes are space-separated.
CREATE TABLE api_keys (
    id VARCHAR(36) PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    scopes VARCHAR(200) NOT NULL,
    secret_hash VARCHAR(64) NOT NULL,
    prefix VARCHAR(16) NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    last_used_at VARCHAR(32)
);

CREATE UNIQUE INDEX idx_api_keys_secret_hash ON api_keys (secret_hash);

CREATE INDEX idx_api_keys_user_id ON api_keys (user_id);

-- What a POST /api/calls/initiate with an Idempotency-Key answered, so that a retry gets the same
-- answer and places no second call. Neither call_id nor error_message: still being placed.
CREATE TABLE idempotency_keys (
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key VARCHAR(255) NOT NULL,
    phone_number VARCHAR(16) NOT NULL,
    call_id VARCHAR(36),
    call_status VARCHAR(16),
    error_message VARCHAR(500),
    created_at VARCHAR(32) NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys (created_at);
