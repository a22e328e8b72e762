-- The team: every user is an admin or an operator; an admin can disable a user, and any user can
-- end every session of theirs at once (tokens issued before tokens_valid_after are refused).
ALTER TABLE users ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'operator';

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

ALTER TABLE users ADD COLUMN tokens_valid_after VARCHAR(32);

-- A database from before roles: its first account becomes the admin, as on an empty one.
UPDATE users SET role = 'admin'
WHERE id = (SELECT id FROM users ORDER BY created_at, email LIMIT 1);
