-- The operators' address books, and what an operator writes on a call (notes, an outcome).
--
-- Contacts are private to their owner. A number is one contact per owner (the unique index),
-- and that index is also what history uses to put a contact's name beside each call: one
-- index lookup per call shown, never a scan. `search_text` is the name and company folded to
-- lower case by the program (Unicode-aware, the same on both engines), for the `q` search.
CREATE TABLE contacts (
    id VARCHAR(36) PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name VARCHAR(200) NOT NULL,
    phone_number VARCHAR(16) NOT NULL,
    company VARCHAR(200) NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    updated_at VARCHAR(32) NOT NULL
);

CREATE UNIQUE INDEX idx_contacts_owner_number ON contacts (user_id, phone_number);

-- The list, by name (search_text starts with the folded name).
CREATE INDEX idx_contacts_owner_name ON contacts (user_id, search_text, id);

-- Written by the operator only; the lifecycle's UPDATE never names them, so the call counts'
-- triggers (on status, failure reason, duration) do not fire for them.
ALTER TABLE calls ADD COLUMN notes TEXT;

ALTER TABLE calls ADD COLUMN outcome VARCHAR(16);

-- History filtered by outcome, newest first (keyset: start_time, id). Partial: most calls carry
-- no outcome, and `outcome = ?` implies the index's condition on both engines.
CREATE INDEX idx_calls_history_by_outcome ON calls (user_id, outcome, start_time, id) WHERE outcome IS NOT NULL;
