-- Sessions end after a while without use (shorter for staff and admins), so they remember
-- when they were last used. Unsubscribe links are stored as hashes, a fresh one per message;
-- the tokens stored in clear before are replaced by their hashes at start-up (`token_hashed`).
-- Kept in lockstep with ../postgres/0009_sessions_idle_and_unsubscribe_hashes.sql.

ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

ALTER TABLE mail_recipients ADD COLUMN token_hashed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE unsubscribe_links (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL REFERENCES mail_recipients(email) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX unsubscribe_links_email ON unsubscribe_links(email);
