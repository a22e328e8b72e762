-- Whether the operator has the far end on hold, and the number a call was handed over to (a blind
-- transfer ends the operator's leg as completed).
ALTER TABLE calls ADD COLUMN on_hold INTEGER NOT NULL DEFAULT 0;

ALTER TABLE calls ADD COLUMN transferred_to VARCHAR(16);
