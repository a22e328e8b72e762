-- The media quality of the call (last sample), stored when it ends.
ALTER TABLE calls ADD COLUMN rtt_ms DOUBLE PRECISION;

ALTER TABLE calls ADD COLUMN jitter_ms DOUBLE PRECISION;

ALTER TABLE calls ADD COLUMN packet_loss_percent DOUBLE PRECISION;

ALTER TABLE calls ADD COLUMN mos DOUBLE PRECISION;

ALTER TABLE calls ADD COLUMN packets_received BIGINT;
