-- Fixed one-minute windows of login attempts, per email and per client address. Kept in the
-- database so that every instance sharing it enforces the same limit.
CREATE TABLE rate_limits (
    bucket VARCHAR(300) NOT NULL,
    window_start VARCHAR(32) NOT NULL,
    attempts INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
